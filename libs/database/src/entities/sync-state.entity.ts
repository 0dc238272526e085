import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

/** Where the current run of a (source, object) sync stands: saved with each page, so a retry resumes. */
@Entity('sync_state')
export class SyncStateEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  object: string;

  // The run this cursor belongs to; a new run starts from the beginning.
  @Column({ type: 'uuid' })
  syncRunId: string;

  // Provider paging cursor (Stripe: the last object id); null = start of the listing.
  @Column({ type: 'varchar', length: 255, nullable: true })
  cursor: string | null;

  @Column({ type: 'boolean', default: false })
  done: boolean;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
