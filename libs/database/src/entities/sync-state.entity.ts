import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { SourceEntity } from './source.entity';
import { bigintSeconds } from './bigint-seconds';

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

  // Provider paging cursor (Stripe: the last object id); null = start of the listing. Any length: opaque.
  @Column({ type: 'text', nullable: true })
  cursor: string | null;

  @Column({ type: 'boolean', default: false })
  done: boolean;

  // The change position: the last provider change (event) processed, committed with its rows; the next
  // incremental run reads on from it. Null: none yet (the next run is a full refresh).
  @Column({ type: 'varchar', length: 255, nullable: true, collation: 'C' })
  positionId: string | null;

  // Provider time of that change (unix seconds); position_id is null when the provider had no change then.
  @Column({ type: 'bigint', nullable: true, transformer: bigintSeconds })
  positionAt: number | null;

  // The newest change when the current full refresh began listing: its position once the refresh succeeds.
  @Column({ type: 'varchar', length: 255, nullable: true, collation: 'C' })
  headId: string | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintSeconds })
  headAt: number | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
