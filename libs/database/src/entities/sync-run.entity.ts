import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

export enum SyncRunStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

export enum SyncMode {
  FULL_REFRESH = 'FULL_REFRESH',
  INCREMENTAL = 'INCREMENTAL',
  /** One provider event applied by id (a webhook delivery). */
  WEBHOOK = 'WEBHOOK',
}

/** One sync of one (source, object); counts are added page by page in the page's own transaction. */
@Entity('sync_runs')
// A webhook run records one row per object its event touches, all under the same Temporal run.
@Index('uq_sync_runs_temporal_run', ['workflowId', 'temporalRunId', 'object'], { unique: true })
@Index('idx_sync_runs_source_page', ['sourceId', 'startedAt', 'id'])
export class SyncRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ type: 'varchar', length: 64 })
  object: string;

  @Column({ type: 'enum', enum: SyncMode, enumName: 'sync_mode' })
  mode: SyncMode;

  // Why the run chose its mode (e.g. a full refresh: first sync, or the saved position is past the events horizon).
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ type: 'enum', enum: SyncRunStatus, enumName: 'sync_run_status', default: SyncRunStatus.RUNNING })
  status: SyncRunStatus;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  recordsRead: number;

  @Column({ type: 'integer', default: 0 })
  recordsInserted: number;

  @Column({ type: 'integer', default: 0 })
  recordsUpdated: number;

  @Column({ type: 'integer', default: 0 })
  recordsUnchanged: number;

  @Column({ type: 'integer', default: 0 })
  recordsDeleted: number;

  @Column({ type: 'integer', default: 0 })
  pages: number;

  @Column({ type: 'integer', default: 0 })
  retries: number;

  // Our own message (and the provider's error code), never the provider's text.
  @Column({ type: 'varchar', length: 1000, nullable: true })
  error: string | null;

  @Column({ type: 'varchar', length: 255 })
  workflowId: string;

  // The first Temporal run of the sync; the one executing now changes on continue-as-new.
  @Column({ type: 'varchar', length: 64 })
  temporalRunId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  currentTemporalRunId: string | null;

  // Set with each committed page (same transaction); a RUNNING run without progress needs attention.
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  lastProgressAt: Date;

  // What the previous successful run of the (source, object) read, recorded when this one succeeds: a run
  // that finds nothing where that one found many needs attention (and has marked every row deleted).
  @Column({ type: 'integer', nullable: true })
  previousRecordsRead: number | null;

  // A full refresh taken while a saved change position existed: rows its listing inserted, changed or marked
  // deleted that no change in the provider's log since that position explains (libs/sync drift.ts). Null:
  // not measured (see reason).
  @Column({ type: 'integer', nullable: true })
  drift: number | null;
}
