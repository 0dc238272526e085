import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { registerPurgeTable } from '../per-source-tables';
import { SourceEntity } from './source.entity';

/**
 * One accepted Stripe webhook delivery, by event id: a second delivery of the same event (Stripe delivers
 * at least once) finds its row and is dropped. Rows older than the retention are pruned (received_at).
 */
@Entity('stripe_webhook_events')
export class StripeWebhookEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  // Stripe's `evt_…` id (at most 255 characters, as Stripe documents its ids).
  @PrimaryColumn({ type: 'varchar', length: 255 })
  eventId: string;

  @Index()
  @Column({ type: 'timestamptz', precision: 3 })
  receivedAt: Date;
}

// A deleted source's dedupe rows go with its purge.
registerPurgeTable('stripe_webhook_events');
