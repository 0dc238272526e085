import { Entity } from 'typeorm';
import { registerPurgeTable } from '../per-source-tables';
import { WebhookEventColumns } from './webhook-event-columns';

/**
 * One accepted Stripe webhook delivery, by event id: a second delivery of the same event (Stripe delivers
 * at least once) finds its row and is dropped. Rows older than the retention are pruned (received_at).
 */
@Entity('stripe_webhook_events')
export class StripeWebhookEventEntity extends WebhookEventColumns {}

// A deleted source's dedupe rows go with its purge.
registerPurgeTable('stripe_webhook_events');
