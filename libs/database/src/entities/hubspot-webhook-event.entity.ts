import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { registerPurgeTable } from '../per-source-tables';
import { SourceEntity } from './source.entity';

/**
 * One accepted HubSpot webhook event, by event id (one delivery holds up to 100): a second delivery of the
 * same event (HubSpot delivers at least once, retrying with a higher attemptNumber) finds its row and is
 * dropped. Rows older than the retention are pruned (received_at).
 */
@Entity('hubspot_webhook_events')
export class HubspotWebhookEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  // HubSpot's eventId, a number, kept as its decimal text (the key is text for every app).
  @PrimaryColumn({ type: 'varchar', length: 255 })
  eventId: string;

  @Index()
  @Column({ type: 'timestamptz', precision: 3 })
  receivedAt: Date;
}

// A deleted source's dedupe rows go with its purge.
registerPurgeTable('hubspot_webhook_events');
