import { Entity } from 'typeorm';
import { registerPurgeTable } from '../per-source-tables';
import { WebhookEventColumns } from './webhook-event-columns';

/**
 * One accepted HubSpot webhook event, by event id (one delivery holds up to 100): a second delivery of the
 * same event (HubSpot delivers at least once, retrying with a higher attemptNumber) finds its row and is
 * dropped. Rows older than the retention are pruned (received_at).
 */
@Entity('hubspot_webhook_events')
export class HubspotWebhookEventEntity extends WebhookEventColumns {}

// A deleted source's dedupe rows go with its purge.
registerPurgeTable('hubspot_webhook_events');
