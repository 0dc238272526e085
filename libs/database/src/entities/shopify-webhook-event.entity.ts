import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { registerPurgeTable } from '../per-source-tables';
import { SourceEntity } from './source.entity';

/**
 * One accepted Shopify webhook event, by X-Shopify-Event-Id: a second delivery of the same event (Shopify
 * delivers at least once; a redelivery has a new webhook id but the same event id) finds its row and is
 * dropped. Rows older than the retention are pruned (received_at).
 */
@Entity('shopify_webhook_events')
export class ShopifyWebhookEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  // Shopify's event id, as the header gives it (the key is text for every app).
  @PrimaryColumn({ type: 'varchar', length: 255 })
  eventId: string;

  @Index()
  @Column({ type: 'timestamptz', precision: 3 })
  receivedAt: Date;
}

// A deleted source's dedupe rows go with its purge.
registerPurgeTable('shopify_webhook_events');
