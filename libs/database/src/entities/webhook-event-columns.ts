import { Column, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

/**
 * The columns of every app's webhook dedupe table (one table per app, each with its own entity): one row per
 * accepted event of a source, by the app's event id, so a second delivery of the same event finds its row and
 * is dropped; rows older than the retention are pruned by received_at.
 */
export abstract class WebhookEventColumns {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  // The app's event id as text (Stripe's `evt_…`, HubSpot's number in decimal, Shopify's X-Shopify-Event-Id).
  @PrimaryColumn({ type: 'varchar', length: 255 })
  eventId: string;

  @Index()
  @Column({ type: 'timestamptz', precision: 3 })
  receivedAt: Date;
}
