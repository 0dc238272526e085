import { TemporalClientModule } from '@app/temporal';
import { Module } from '@nestjs/common';
import { SourceWebhooksService } from '../webhooks/source-webhooks.service';
import { WebhooksResolver } from './webhooks.resolver';

/** GraphQL surface of cloud-app webhooks (registerSourceWebhook, registerStripeWebhook); imported by the api only. */
@Module({ imports: [TemporalClientModule], providers: [WebhooksResolver, SourceWebhooksService] })
export class WebhooksGraphqlModule {}
