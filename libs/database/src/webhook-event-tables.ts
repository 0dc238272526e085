import type { EntityTarget } from 'typeorm';
import { HubspotWebhookEventEntity } from './entities/hubspot-webhook-event.entity';
import { ShopifyWebhookEventEntity } from './entities/shopify-webhook-event.entity';
import { StripeWebhookEventEntity } from './entities/stripe-webhook-event.entity';

/** A webhook dedupe table's row: one accepted event of a source. */
export interface WebhookEventRow {
  sourceId: string;
  eventId: string;
  receivedAt: Date;
}

/**
 * The dedupe table of each app with webhooks, by the app's key (its connector definition's): one table per
 * app, so each app's ids and retention stay apart. An app's webhooks need its line here and a migration.
 */
export const WEBHOOK_EVENT_ENTITIES: Readonly<Record<string, EntityTarget<WebhookEventRow>>> = {
  stripe: StripeWebhookEventEntity,
  hubspot: HubspotWebhookEventEntity,
  shopify: ShopifyWebhookEventEntity,
};
