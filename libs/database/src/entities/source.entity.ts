import { SourceEnvironment, SourceKind, SourceStatus } from '@app/common';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { WorkspaceEntity } from './workspace.entity';

// Timestamps are stored at millisecond precision so keyset cursors (JS Dates) round-trip exactly.
/** Settings are validated JSON (see libs/sources source-settings); the shape is owned by the domain. */
@Entity('sources')
@Index('uq_sources_live_name', ['workspaceId', 'environment', 'name'], { unique: true, where: '"deleted_at" IS NULL' })
@Index('idx_sources_workspace_page', ['workspaceId', 'createdAt', 'id'])
export class SourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: 'enum', enum: SourceKind, enumName: 'source_kind' })
  kind: SourceKind;

  @Column({ type: 'enum', enum: SourceEnvironment, enumName: 'source_environment' })
  environment: SourceEnvironment;

  @Column({ type: 'enum', enum: SourceStatus, enumName: 'source_status', default: SourceStatus.ACTIVE })
  status: SourceStatus;

  @Column({ type: 'jsonb', nullable: true })
  trackingConfig: Record<string, unknown> | null;

  @Column({ type: 'jsonb' })
  rateLimit: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  identitySettings: Record<string, unknown>;

  // Cloud-app sources: the sync schedule, one of the two (mirrored in the Temporal Schedule
  // `schedule:<id>`, kept here so a lost one can be re-created as it was).
  @Column({ type: 'integer', nullable: true })
  syncIntervalMinutes: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  syncCron: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;

  // Set when the purge of a deleted source starts deleting its data (no restore from then on). The row
  // stays as a tombstone so ids in logs, Temporal and the audit keep meaning something.
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  purgedAt: Date | null;
}
