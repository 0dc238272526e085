import { TemporalClientModule } from '@app/temporal';
import { Module } from '@nestjs/common';
import { keyringProvider } from '../keyring.provider';
import { StripeWebhookDedupePruner } from './stripe-webhook-dedupe.pruner';
import { StripeWebhookEventsStore } from './stripe-webhook-events.store';
import { StripeWebhookReceiver } from './stripe-webhook-receiver';
import { WebhookSecretsStore } from './webhook-secrets.store';

/** The Stripe webhook receiver for apps/ingest, which registers its route (registerStripeWebhookRoute). */
@Module({
  imports: [TemporalClientModule],
  providers: [
    keyringProvider,
    WebhookSecretsStore,
    StripeWebhookEventsStore,
    StripeWebhookReceiver,
    StripeWebhookDedupePruner,
  ],
  exports: [StripeWebhookReceiver, StripeWebhookDedupePruner],
})
export class StripeWebhooksIngestModule {}
