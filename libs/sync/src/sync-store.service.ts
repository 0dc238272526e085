import { invariant } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SyncMode, SyncRunEntity, SyncRunStatus, SyncStateEntity } from '@app/database';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChangeVersion, MappedRecord } from '@app/connectors';
import * as changeStore from './change-store';
import type { ChangeCounts } from './change-writer';
import { type PageCounts, writeRecords } from './record-writer';
import { DriftStore, UNSEEN_ROWS_SQL } from './drift-store';
import { SliceStore } from './slice-store.service';
import { planRun, type TakeOver } from './run-plan';

export type { PageCounts } from './record-writer';

// seen_run_id of rows awaiting re-confirmation after a restarted listing (never a real run id).
const UNCONFIRMED_RUN = '00000000-0000-0000-0000-000000000000';

export interface StartRunInput {
  sourceId: string;
  object: string;
  workflowId: string;
  temporalRunId: string;
}

/** Pages read in a row from `from`, committed together; `to` is where the listing stands after them. */
export interface PageBatch {
  sourceId: string;
  object: string;
  syncRunId: string;
  from: string | null;
  to: { cursor: string | null; done: boolean };
  records: MappedRecord[];
  pages: number;
}

export interface SyncPosition {
  cursor: string | null;
  done: boolean;
}

/**
 * Postgres side of a sync. Pages are applied in one transaction together with the new cursor and the
 * run's counts, so a killed worker resumes at the last committed cursor and never counts a page twice.
 */
@Injectable()
export class SyncStore {
  /** The `created` windows of sliced first syncs (slice-store.service.ts). */
  readonly slices: SliceStore;
  /** Drift measured by full refreshes (drift-store.ts). */
  readonly drift: DriftStore;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.slices = new SliceStore(db);
    this.drift = new DriftStore(db);
  }

  /** Whether some worker process records serving the source's queue (rows of dead workers go stale). */
  async isServed(sourceId: string): Promise<boolean> {
    // Workers refresh their rows every reconcile; three missed refreshes mean the worker is gone.
    const staleMs = 3 * this.config.worker.reconcileIntervalMs;
    const [row] = await this.db.query<{ served: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM source_task_queues WHERE source_id = $1
         AND heartbeat_at > now() - make_interval(secs => $2)) AS served`,
      [sourceId, staleMs / 1000],
    );
    return row.served;
  }

  /**
   * Creates the run row (idempotent per Temporal run) and points the (source, object) state at it: at the
   * start of the listing, or where a failed or cancelled run left it (see takeOverState). The run decides
   * its mode and records why (run-plan.ts); its first batch may still fall back to a full refresh.
   */
  async startRun(input: StartRunInput): Promise<string> {
    const { sourceId, object, workflowId, temporalRunId } = input;
    return this.db.transaction(async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(SyncRunEntity)
        .values({
          sourceId,
          object,
          workflowId,
          temporalRunId,
          mode: SyncMode.FULL_REFRESH,
          status: SyncRunStatus.RUNNING,
        })
        .orIgnore()
        .execute();
      const run = await em.getRepository(SyncRunEntity).findOneByOrFail({ workflowId, temporalRunId, object });
      const takeOver = await takeOverState(em, sourceId, object, run.id);
      if (takeOver.kind !== 'own') {
        const plan = await planRun(em, sourceId, object, takeOver, this.config.sync.fullRefreshIntervalMs);
        await em.update(SyncRunEntity, { id: run.id }, plan);
      }
      return run.id;
    });
  }

  async position(sourceId: string, object: string, syncRunId: string): Promise<SyncPosition> {
    const state = await this.db.getRepository(SyncStateEntity).findOneBy({ sourceId, object });
    invariant(
      state?.syncRunId === syncRunId,
      `sync_state of ${sourceId}/${object} does not belong to run ${syncRunId}`,
    );
    return { cursor: state.cursor, done: state.done };
  }

  /** The run continued as new: record the Temporal run executing it now. */
  async continueRun(syncRunId: string, temporalRunId: string): Promise<void> {
    await this.db.query('UPDATE sync_runs SET current_temporal_run_id = $2 WHERE id = $1', [syncRunId, temporalRunId]);
  }

  async addRetry(syncRunId: string): Promise<void> {
    await this.db.query('UPDATE sync_runs SET retries = retries + 1 WHERE id = $1', [syncRunId]);
  }

  /**
   * Commits pages read from `from` and moves the cursor to `to`, atomically with the rows and the run's
   * counts. Returns null when another attempt already committed from `from` (the cursor moved on): nothing
   * is written or counted twice.
   */
  async applyPages(batch: PageBatch): Promise<PageCounts | null> {
    return this.db.transaction(async (em) => {
      const [state] = await em.query<
        { cursor: string | null; sync_run_id: string; done: boolean; head_at: string | null; head_id: string | null }[]
      >(
        'SELECT cursor, sync_run_id, done, head_at, head_id FROM sync_state WHERE source_id = $1 AND object = $2 FOR UPDATE',
        [batch.sourceId, batch.object],
      );
      if (!state || state.sync_run_id !== batch.syncRunId || state.cursor !== batch.from || state.done) {
        return null;
      }
      const target = { sourceId: batch.sourceId, object: batch.object, runId: batch.syncRunId };
      const head = changeStore.versionOf(state.head_at, state.head_id);
      const counts = await writeRecords(em, target, batch.records, head);
      await em.query(
        'UPDATE sync_state SET cursor = $3, done = $4, updated_at = now() WHERE source_id = $1 AND object = $2',
        [batch.sourceId, batch.object, batch.to.cursor, batch.to.done],
      );
      await em.query(
        `UPDATE sync_runs SET records_read = records_read + $2, records_inserted = records_inserted + $3,
           records_updated = records_updated + $4, records_unchanged = records_unchanged + $5,
           pages = pages + $6, last_progress_at = now() WHERE id = $1`,
        [batch.syncRunId, counts.read, counts.inserted, counts.updated, counts.unchanged, batch.pages],
      );
      return counts;
    });
  }

  /**
   * The cursor vanished at the provider: start the listing again within the same run. Rows this run saw
   * so far must be seen again in the new pass, or the run ends by marking them deleted.
   */
  async restartListing(sourceId: string, object: string, syncRunId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query(
        'UPDATE sync_state SET cursor = NULL, done = false, updated_at = now() WHERE source_id = $1 AND object = $2 AND sync_run_id = $3',
        [sourceId, object, syncRunId],
      );
      await em.query('UPDATE records SET seen_run_id = $4 WHERE source_id = $1 AND object = $2 AND seen_run_id = $3', [
        sourceId,
        object,
        syncRunId,
        UNCONFIRMED_RUN,
      ]);
    });
  }

  /** Completes a full refresh: rows this run did not see are marked deleted. Idempotent. */
  async finishRun(syncRunId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const run = await em
        .getRepository(SyncRunEntity)
        .findOne({ where: { id: syncRunId }, lock: { mode: 'pessimistic_write' } });
      if (!run || run.status !== SyncRunStatus.RUNNING) {
        return;
      }
      if (run.mode === SyncMode.INCREMENTAL) {
        await changeStore.finishIncremental(em, run.id);
        await em.update(SyncRunEntity, { id: run.id }, { status: SyncRunStatus.SUCCEEDED, finishedAt: new Date() });
        return;
      }
      // Rows a change of the listing's head second or later wrote (a webhook meanwhile) are the change
      // log's to delete, not the listing's; snapshots carry no change id (record-writer.ts). drift.ts
      // counts the same rows before this.
      const [, deleted] = await em.query<[unknown, number]>(
        `UPDATE records r SET deleted_at = now() FROM sync_state s
          WHERE s.source_id = $1 AND s.object = $2 AND r.source_id = $1 AND r.object = $2 AND ${UNSEEN_ROWS_SQL}`,
        [run.sourceId, run.object, run.id],
      );
      await changeStore.finishFullRefresh(em, run.id);
      const [previous] = await em.query<{ records_read: number }[]>(
        `SELECT records_read FROM sync_runs WHERE source_id = $1 AND object = $2 AND status = 'SUCCEEDED'
            AND mode = 'FULL_REFRESH'
          ORDER BY finished_at DESC LIMIT 1`,
        [run.sourceId, run.object],
      );
      await em.update(
        SyncRunEntity,
        { id: run.id },
        {
          status: SyncRunStatus.SUCCEEDED,
          finishedAt: new Date(),
          recordsDeleted: deleted,
          previousRecordsRead: previous?.records_read ?? null,
        },
      );
    });
  }

  /** The run's mode and where its (source, object) stands; null when sync_state belongs to another run. */
  runState(syncRunId: string): Promise<changeStore.RunState | null> {
    return changeStore.runState(this.db, syncRunId);
  }

  recordHead(syncRunId: string, head: ChangeVersion): Promise<void> {
    return changeStore.recordHead(this.db, syncRunId, head);
  }

  fallBackToFullRefresh(syncRunId: string, reason: string): Promise<void> {
    return changeStore.fallBackToFullRefresh(this.db, syncRunId, reason);
  }

  applyChanges(batch: changeStore.ChangeBatch): Promise<ChangeCounts | null> {
    return changeStore.applyChanges(this.db, batch);
  }

  applyWebhookChanges(input: changeStore.WebhookRunInput): Promise<ChangeCounts | null> {
    return changeStore.applyWebhookChanges(this.db, input);
  }

  /** Ends a run as FAILED or CANCELLED with our message (never provider text). Idempotent. */
  async endRun(
    syncRunId: string,
    status: SyncRunStatus.FAILED | SyncRunStatus.CANCELLED,
    error: string,
  ): Promise<void> {
    await this.db
      .getRepository(SyncRunEntity)
      .update(
        { id: syncRunId, status: SyncRunStatus.RUNNING },
        { status, finishedAt: new Date(), error: error.slice(0, 1000) },
      );
  }
}

/**
 * Points sync_state at the new run. After a FAILED or CANCELLED run the listing goes on from its last
 * committed cursor, and the rows that run saw count as seen by this one, so the listing's end marks
 * deleted only rows unseen across the combined runs. Otherwise the listing starts again.
 */
async function takeOverState(em: EntityManager, sourceId: string, object: string, runId: string): Promise<TakeOver> {
  const [state] = await em.query<{ sync_run_id: string; cursor: string | null; done: boolean; status: string }[]>(
    `SELECT s.sync_run_id, s.cursor, s.done, r.status FROM sync_state s
       LEFT JOIN sync_runs r ON r.id = s.sync_run_id WHERE s.source_id = $1 AND s.object = $2 FOR UPDATE OF s`,
    [sourceId, object],
  );
  if (state?.sync_run_id === runId) {
    return { kind: 'own' }; // this run's own retry
  }
  const ended = [SyncRunStatus.FAILED, SyncRunStatus.CANCELLED] as string[];
  if (state && !state.done && state.cursor !== null && ended.includes(state.status)) {
    await em.query('UPDATE sync_state SET sync_run_id = $3, updated_at = now() WHERE source_id = $1 AND object = $2', [
      sourceId,
      object,
      runId,
    ]);
    await em.query('UPDATE records SET seen_run_id = $4 WHERE source_id = $1 AND object = $2 AND seen_run_id = $3', [
      sourceId,
      object,
      state.sync_run_id,
      runId,
    ]);
    return { kind: 'continued', previousRunId: state.sync_run_id };
  }
  await em.query(
    `INSERT INTO sync_state (source_id, object, sync_run_id, cursor, done) VALUES ($1, $2, $3, NULL, false)
     ON CONFLICT (source_id, object) DO UPDATE SET sync_run_id = $3, cursor = NULL, done = false, head_at = NULL,
       head_id = NULL, updated_at = now()`,
    [sourceId, object, runId],
  );
  return { kind: 'fresh' };
}
