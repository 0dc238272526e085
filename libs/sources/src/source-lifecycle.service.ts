import { DomainErrorCode, DomainException, SourceStatus, isCloudAppKind } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SourceEntity, isUniqueViolation } from '@app/database';
import {
  PURGE_SOURCE_WORKFLOW,
  type PurgeSourceInput,
  SourceIdKey,
  SourceKindKey,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  WorkspaceIdKey,
  makePurgeWorkflowId,
} from '@app/temporal';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource, type EntityManager } from 'typeorm';
import { SourceSchedulesService } from './schedules/source-schedules.service';
import { notifySourceChanged, revokeAllWriteKeys } from './source-changes';
import { findLiveSource } from './source-lookup';
import { SourceSyncsService } from './source-syncs.service';
import { NAME_CONSTRAINT, toView } from './sources.service';
import type { SourceView } from './source.views';

// How long deleteSource waits for cancelled syncs to end (a page in flight commits first).
const STOP_SYNCS_TIMEOUT_MS = 15_000;

/**
 * Deleting and restoring sources. Delete is immediate for everything that acts (write keys, syncs,
 * credentials); the data itself goes later, in the `purge:<sourceId>` workflow, unless restored first.
 */
@Injectable()
export class SourceLifecycleService {
  private readonly logger = new Logger('SourceLifecycle');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly syncs: SourceSyncsService,
    private readonly temporal: TemporalClientService,
    private readonly schedules: SourceSchedulesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Hidden at once, schedule deleted, write keys revoked, syncs stopped, credentials kept sealed (the vault
   * refuses them).
   */
  async delete(workspaceId: string, id: string): Promise<SourceView> {
    return this.db.transaction(async (em) => {
      // Under the row lock that triggers take: no sync starts between this stop and the deletion.
      const row = await findLiveSource(em, workspaceId, id, 'syncs');
      // The schedule first, so it starts nothing while the running syncs stop.
      if (isCloudAppKind(row.kind)) {
        await this.schedules.cancelRunning(row.id);
        await this.schedules.remove(row.id);
      }
      await this.syncs.stopAll(row.id, row.kind, STOP_SYNCS_TIMEOUT_MS);
      row.deletedAt = new Date();
      await revokeAllWriteKeys(em, row.id, row.deletedAt);
      await notifySourceChanged(em, row.id);
      const saved = await em.save(row);
      // Started before commit: a failed start rolls the deletion back, and a purge that runs at once
      // (grace 0) waits on this row's lock, so it sees the committed deletion.
      await this.startPurge(saved);
      return toView(saved);
    });
  }

  /** Brings a deleted source back PAUSED until its purge starts; write keys stay revoked. */
  async restore(workspaceId: string, id: string): Promise<SourceView> {
    const view = await this.db.transaction(async (em) => {
      const row = await em.getRepository(SourceEntity).findOne({
        where: { id, workspaceId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.purgedAt) {
        throw new DomainException(
          DomainErrorCode.NOT_FOUND,
          `No deleted source "${id}" can be restored in this workspace: it does not exist or its data was already purged`,
        );
      }
      if (!row.deletedAt) {
        throw DomainException.conflict(`Source "${row.name}" is not deleted; there is nothing to restore`);
      }
      row.deletedAt = null;
      if (row.status === SourceStatus.ACTIVE) {
        row.status = SourceStatus.PAUSED;
      }
      const saved = await saveRestored(em, row);
      await notifySourceChanged(em, row.id);
      if (isCloudAppKind(saved.kind)) {
        // Deleting removed it; it comes back as the source does, paused.
        await this.schedules.ensure(saved);
      }
      return toView(saved);
    });
    await this.cancelPurge(id);
    return view;
  }

  private async startPurge(source: SourceEntity): Promise<void> {
    const input: PurgeSourceInput = { sourceId: source.id, graceSeconds: this.config.sources.purgeGraceSeconds };
    await this.temporal.client.workflow.start(PURGE_SOURCE_WORKFLOW, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId: makePurgeWorkflowId(source.id),
      args: [input],
      // A purge left from an earlier deletion (restored meanwhile) gives way to this one's grace period.
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      typedSearchAttributes: [
        { key: SourceIdKey, value: source.id },
        { key: SourceKindKey, value: source.kind },
        { key: WorkspaceIdKey, value: source.workspaceId },
      ],
    });
  }

  // Best effort: the restore is committed, and a purge that still runs re-checks deleted_at and stops.
  private async cancelPurge(sourceId: string): Promise<void> {
    try {
      await this.temporal.client.workflow.getHandle(makePurgeWorkflowId(sourceId)).cancel();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) {
        this.logger.warn(
          { err: error, sourceId },
          'could not cancel the purge workflow; it will find the source restored',
        );
      }
    }
  }
}

async function saveRestored(em: EntityManager, row: SourceEntity): Promise<SourceEntity> {
  try {
    return await em.save(row);
  } catch (error) {
    if (isUniqueViolation(error, NAME_CONSTRAINT)) {
      throw DomainException.conflict(
        `Another live ${row.environment} source is now named "${row.name}"; rename or delete it, then restore this one`,
      );
    }
    throw error;
  }
}
