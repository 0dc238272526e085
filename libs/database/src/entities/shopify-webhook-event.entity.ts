import { Entity } from 'typeorm';
import { registerPurgeTable } from '../per-source-tables';
import { WebhookEventColumns } from './webhook-event-columns';

/**
 * One accepted Shopify webhook event, by X-Shopify-Event-Id: a second delivery of the same event (Shopify
 * delivers at least once; a redelivery has a new webhook id but the same event id) finds its row and is
 * dropped. Rows older than the retention are pruned (received_at).
 */
@Entity('shopify_webhook_events')
export class ShopifyWebhookEventEntity extends WebhookEventColumns {}

// A deleted source's dedupe rows go with its purge.
registerPurgeTable('shopify_webhook_events');
