import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintSeconds } from './bigint-seconds';
import { SourceEntity } from './source.entity';

/** A synced record, keyed by its external id: a re-run updates in place and never duplicates. */
@Entity('records')
@Index('idx_records_seen_run', ['sourceId', 'object', 'seenRunId'])
export class RecordEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  object: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  externalId: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  // SHA-256 of the payload's jsonb text (canonical), computed by Postgres: tells "updated" from
  // "unchanged" without comparing JSON.
  @Column({ type: 'char', length: 64 })
  contentHash: string;

  @Column({ type: 'timestamptz', precision: 3 })
  firstSeenAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  lastSeenAt: Date;

  // The last run that saw this record; a full refresh marks rows it did not see as deleted.
  @Column({ type: 'uuid' })
  seenRunId: string;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;

  // The version of the last change applied (provider time in unix seconds, then the change id): a change
  // is applied only when newer, so events arriving late or twice never roll a row back. A listing writes
  // the position its refresh recorded before listing. Null: older than any change.
  @Column({ type: 'bigint', nullable: true, transformer: bigintSeconds })
  versionAt: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true, collation: 'C' })
  versionId: string | null;

  // When a sync last found this payload new or different (the writing transaction's start, to the
  // microsecond: the writer tells its own changes apart by it). Null: unchanged since before engine v2.
  @Column({ type: 'timestamptz', nullable: true })
  changedAt: Date | null;
}
