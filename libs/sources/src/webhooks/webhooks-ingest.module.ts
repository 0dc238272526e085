import { TemporalClientModule } from '@app/temporal';
import { Module } from '@nestjs/common';
import { keyringProvider } from '../keyring.provider';
import { WebhookDedupePruner } from './webhook-dedupe.pruner';
import { WebhookEventsStore } from './webhook-events.store';
import { WebhookReceiver } from './webhook-receiver';
import { WebhookSecretsStore } from './webhook-secrets.store';

/** The webhook receiver of every cloud app for apps/ingest, which registers the routes (registerWebhookRoutes). */
@Module({
  imports: [TemporalClientModule],
  providers: [keyringProvider, WebhookSecretsStore, WebhookEventsStore, WebhookReceiver, WebhookDedupePruner],
  exports: [WebhookReceiver, WebhookDedupePruner],
})
export class WebhooksIngestModule {}
