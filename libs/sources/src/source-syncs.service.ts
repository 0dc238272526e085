import {
  DomainErrorCode,
  DomainException,
  type SourceKind,
  SourceStatus,
  decodeCursor,
  isCloudAppKind,
} from '@app/common';
import { syncObjects } from '@app/connectors';
import {
  SourceCredentialEntity,
  SourceEntity,
  SourceTaskQueueEntity,
  SyncRunEntity,
  SyncRunStatus,
} from '@app/database';
import {
  CHECK_CONNECTION_WORKFLOW,
  type CheckConnectionInput,
  type CheckConnectionResult,
  SYNC_WORKFLOW,
  type SyncWorkflowInput,
  SourceIdKey,
  SourceKindKey,
  SyncObjectKey,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  WorkspaceIdKey,
  makeCheckConnectionWorkflowId,
  makeSyncWorkflowId,
  objectSyncInput,
} from '@app/temporal';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TimeoutFailure, WorkflowFailedError, type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, In, MoreThan } from 'typeorm';
import { findLiveSource } from './source-lookup';

export interface SyncHandle {
  workflowId: string;
  /** The first Temporal run (SyncRun.runId). */
  runId: string;
  /** The run executing now: the first one until the sync continues as new. */
  currentRunId: string;
}

/** One window of a sliced run, as GraphQL shows it (sync_slices, written by libs/sync). */
export interface SyncRunSlice {
  index: number;
  createdFrom: Date | null;
  createdBefore: Date | null;
  pages: number;
  recordsRead: number;
  done: boolean;
}

/** The latest drift a full refresh measured for one object (sync_runs.drift, written by libs/sync). */
export interface ObjectDrift {
  object: string;
  drift: number;
  syncRunId: string;
  measuredAt: Date;
}

export interface SyncRunPage {
  items: SyncRunEntity[];
  /** The slices of each listed run, by run id (empty for a run that read one listing). */
  slices: Map<string, SyncRunSlice[]>;
  totalCount: number;
  hasNextPage: boolean;
}

// A check waits this long for the source's worker to pick it up before answering "not served".
const CHECK_SCHEDULE_TO_START_MS = 10_000;
const CHECK_EXECUTION_TIMEOUT_MS = 30_000;

/** Starts, cancels and lists syncs; the api talks to Temporal only through here (never to the cloud apps). */
@Injectable()
export class SourceSyncsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Starts `sync:<source>:<object>`, or returns the run already in progress (USE_EXISTING). The start
   * happens under the source row's lock, like pause and delete: a pause either finds this run and cancels
   * it, or went first and this trigger is refused; no run starts on a queue about to stop.
   */
  async trigger(workspaceId: string, sourceId: string, object: string): Promise<SyncHandle> {
    return this.db.transaction(async (em) => {
      const source = await this.syncableSource(em, workspaceId, sourceId, object);
      // The same input the source-level sync (the schedule's action) gives its children; slices are used by a
      // first sync only (the worker decides: it knows whether one completed).
      const input: SyncWorkflowInput = objectSyncInput(sourceId, object, {
        queueWaitMs: this.config.sync.queueWaitMs,
        slices: this.config.sync.firstSyncSlices,
      });
      const handle = await this.temporal.client.workflow.start(SYNC_WORKFLOW, {
        taskQueue: WORKFLOW_TASK_QUEUE,
        workflowId: makeSyncWorkflowId(sourceId, object),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [
          { key: SourceIdKey, value: sourceId },
          { key: SourceKindKey, value: source.kind },
          { key: WorkspaceIdKey, value: workspaceId },
          { key: SyncObjectKey, value: object },
        ],
      });
      // USE_EXISTING: the handle names the run in progress, which may have continued as new since.
      const described = await handle.describe();
      const firstRunId = described.raw.workflowExecutionInfo?.firstRunId || handle.firstExecutionRunId;
      return { workflowId: handle.workflowId, runId: firstRunId, currentRunId: described.runId };
    });
  }

  /** Cancels the running sync of (source, object); NOT_FOUND when none runs. */
  async cancel(workspaceId: string, sourceId: string, object: string): Promise<SyncHandle> {
    requireSyncObject(await findLiveSource(this.db.manager, workspaceId, sourceId), object);
    const workflowId = makeSyncWorkflowId(sourceId, object);
    const handle = this.temporal.client.workflow.getHandle(workflowId);
    try {
      const described = await handle.describe();
      if (described.status.name !== 'RUNNING') {
        throw notRunning(object);
      }
      // Cancels whichever run executes the sync now; answers with the first run's id, as SyncRun.runId.
      await handle.cancel();
      const firstRunId = described.raw.workflowExecutionInfo?.firstRunId || described.runId;
      return { workflowId, runId: firstRunId, currentRunId: described.runId };
    } catch (error) {
      throw error instanceof WorkflowNotFoundError ? notRunning(object) : error;
    }
  }

  /** Cancels every running sync of a source (pause, delete); quiet when nothing runs. Returns the cancelled. */
  async cancelAll(sourceId: string, kind: SourceKind): Promise<WorkflowHandle[]> {
    const cancelled: WorkflowHandle[] = [];
    for (const object of syncObjects(kind)) {
      const handle = this.temporal.client.workflow.getHandle(makeSyncWorkflowId(sourceId, object));
      try {
        await handle.cancel();
        cancelled.push(handle);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) {
          throw error;
        }
      }
    }
    return cancelled;
  }

  /** Cancels every running sync and waits (at most timeoutMs) until they have ended, so nothing writes after. */
  async stopAll(sourceId: string, kind: SourceKind, timeoutMs: number): Promise<void> {
    const ended = (await this.cancelAll(sourceId, kind)).map((h) => h.result().catch(() => undefined));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(ended), timeout]);
    clearTimeout(timer);
  }

  async checkConnection(workspaceId: string, sourceId: string): Promise<CheckConnectionResult> {
    const source = await findLiveSource(this.db.manager, workspaceId, sourceId);
    requireCloudApp(source);
    if (source.status !== SourceStatus.ACTIVE) {
      return {
        ok: false,
        message: `Source is ${source.status}: its queue is not served; resume it to check the connection`,
      };
    }
    const input: CheckConnectionInput = { sourceId, scheduleToStartTimeoutMs: CHECK_SCHEDULE_TO_START_MS };
    try {
      return await this.temporal.client.workflow.execute<
        (input: CheckConnectionInput) => Promise<CheckConnectionResult>
      >(CHECK_CONNECTION_WORKFLOW, {
        taskQueue: WORKFLOW_TASK_QUEUE,
        workflowId: makeCheckConnectionWorkflowId(sourceId, randomUUID()),
        args: [input],
        // Without any worker the workflow itself never runs: bound the wait so the request answers.
        workflowExecutionTimeout: CHECK_EXECUTION_TIMEOUT_MS,
        typedSearchAttributes: [
          { key: SourceIdKey, value: sourceId },
          { key: SourceKindKey, value: source.kind },
          { key: WorkspaceIdKey, value: workspaceId },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowFailedError && error.cause instanceof TimeoutFailure) {
        return {
          ok: false,
          message: `No Tributary worker picked up the check within ${CHECK_EXECUTION_TIMEOUT_MS / 1000} s: is the worker running?`,
        };
      }
      throw error;
    }
  }

  async listRuns(workspaceId: string, sourceId: string, first: number, after?: string | null): Promise<SyncRunPage> {
    await findLiveSource(this.db.manager, workspaceId, sourceId);
    const base = this.db
      .getRepository(SyncRunEntity)
      .createQueryBuilder('r')
      .where('r.source_id = :sourceId', { sourceId });
    const totalCount = await base.clone().getCount();
    const page = base
      .clone()
      .orderBy('r.started_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(first + 1);
    if (after) {
      const pos = decodeCursor(after);
      page.andWhere('(r.started_at, r.id) < (:createdAt, :id)', { createdAt: pos.createdAt, id: pos.id });
    }
    const rows = await page.getMany();
    const items = rows.slice(0, first);
    return { items, slices: await this.slicesOf(items), totalCount, hasNextPage: rows.length > first };
  }

  private async slicesOf(runs: SyncRunEntity[]): Promise<Map<string, SyncRunSlice[]>> {
    const byRun = new Map<string, SyncRunSlice[]>(runs.map((r) => [r.id, []]));
    if (runs.length === 0) {
      return byRun;
    }
    const rows = await this.db.query<
      {
        sync_run_id: string;
        index: number;
        created_gte: string | null;
        created_lt: string | null;
        pages: number;
        records_read: number;
        done: boolean;
      }[]
    >(
      `SELECT sync_run_id, index, created_gte, created_lt, pages, records_read, done FROM sync_slices
        WHERE sync_run_id = ANY($1) ORDER BY index`,
      [[...byRun.keys()]],
    );
    const at = (seconds: string | null) => (seconds === null ? null : new Date(Number(seconds) * 1000));
    for (const row of rows) {
      byRun.get(row.sync_run_id)?.push({
        index: row.index,
        createdFrom: at(row.created_gte),
        createdBefore: at(row.created_lt),
        pages: row.pages,
        recordsRead: row.records_read,
        done: row.done,
      });
    }
    return byRun;
  }

  /**
   * Why a run needs attention, or null: RUNNING without a committed page for SYNC_STALL_SECONDS, or
   * SUCCEEDED with no records where the previous successful run found many (a key of another account or
   * mode, a permission lost: the full refresh then marked every row deleted), or a full refresh that found
   * rows the incremental runs had missed (drift).
   */
  attentionReason(run: SyncRunEntity, now = Date.now()): string | null {
    if (run.status === SyncRunStatus.SUCCEEDED) {
      return foundNothing(run) ?? drifted(run);
    }
    const idleMs = now - run.lastProgressAt.getTime();
    if (run.status !== SyncRunStatus.RUNNING || idleMs < this.config.sync.stallMs) {
      return null;
    }
    return (
      `No page committed for ${Math.floor(idleMs / 60_000)} min ${Math.floor((idleMs % 60_000) / 1000)} s: ` +
      'check that Source.taskQueues shows a worker and the worker log, then cancelSourceSync and trigger it again'
    );
  }

  /** Per source, the latest measured drift of each object (the newest full refresh that measured one). */
  async latestDrift(sourceIds: string[]): Promise<Map<string, ObjectDrift[]>> {
    const byId = new Map<string, ObjectDrift[]>(sourceIds.map((id) => [id, []]));
    if (sourceIds.length === 0) {
      return byId;
    }
    const rows = await this.db.query<
      { source_id: string; object: string; drift: number; id: string; finished_at: Date }[]
    >(
      `SELECT DISTINCT ON (source_id, object) source_id, object, drift, id, finished_at FROM sync_runs
        WHERE source_id = ANY($1) AND status = 'SUCCEEDED' AND drift IS NOT NULL
        ORDER BY source_id, object, finished_at DESC`,
      [sourceIds],
    );
    for (const row of rows) {
      byId.get(row.source_id)?.push({
        object: row.object,
        drift: row.drift,
        syncRunId: row.id,
        measuredAt: row.finished_at,
      });
    }
    return byId;
  }

  /** Task queues served for the given sources (by any worker process), for the Source model. */
  async servedQueues(sourceIds: string[]): Promise<Map<string, SourceTaskQueueEntity[]>> {
    // Rows not refreshed for three reconcile intervals belong to a worker that died: not serving.
    const freshAfter = new Date(Date.now() - 3 * this.config.worker.reconcileIntervalMs);
    const rows = sourceIds.length
      ? await this.db.getRepository(SourceTaskQueueEntity).find({
          where: { sourceId: In(sourceIds), heartbeatAt: MoreThan(freshAfter) },
          order: { servingSince: 'ASC' },
        })
      : [];
    const byId = new Map<string, SourceTaskQueueEntity[]>(sourceIds.map((id) => [id, []]));
    rows.forEach((row) => byId.get(row.sourceId)?.push(row));
    return byId;
  }

  private async syncableSource(
    em: EntityManager,
    workspaceId: string,
    sourceId: string,
    object: string,
  ): Promise<SourceEntity> {
    const source = await findLiveSource(em, workspaceId, sourceId, 'syncs');
    requireSyncObject(source, object);
    if (source.status !== SourceStatus.ACTIVE) {
      throw DomainException.conflict(`Source is ${source.status}; resume it before syncing`);
    }
    if (!(await em.getRepository(SourceCredentialEntity).existsBy({ sourceId }))) {
      throw DomainException.invalid('Source has no credentials; set them with setSourceCredentials before syncing');
    }
    return source;
  }
}

function requireCloudApp(source: SourceEntity): void {
  if (!isCloudAppKind(source.kind)) {
    throw DomainException.invalid(
      `${source.kind} is an event-stream source: it receives events and has nothing to sync`,
    );
  }
}

/** `object` must be one of those the source's definition lists (a String in GraphQL: see sync.models.ts). */
function requireSyncObject(source: SourceEntity, object: string): void {
  requireCloudApp(source);
  const objects = syncObjects(source.kind);
  if (!objects.includes(object)) {
    throw DomainException.invalid(
      objects.length
        ? `${source.kind} sources sync ${objects.join(', ')}; object must be one of them, not "${object}"`
        : `${source.kind} syncs are not available yet`,
    );
  }
}

function notRunning(object: string): DomainException {
  return new DomainException(DomainErrorCode.NOT_FOUND, `No ${object} sync is running for this source`);
}

// Below this many records a previous run was small enough that finding none may well be true.
const MANY_RECORDS = 10;

function foundNothing(run: SyncRunEntity): string | null {
  const before = run.previousRecordsRead;
  if (run.recordsRead > 0 || before === null || before < MANY_RECORDS) {
    return null;
  }
  return (
    `Found no ${run.object} where the previous run found ${before}, and marked the ${run.recordsDeleted} rows ` +
    'it held deleted: check that the credentials still name the right account and mode (test or live) and may ' +
    `read ${run.object}, then trigger the sync again`
  );
}

function drifted(run: SyncRunEntity): string | null {
  if (!run.drift) {
    return null;
  }
  return (
    `This full refresh found ${run.drift} ${run.object} row(s) inserted, changed or deleted at the provider ` +
    'without any event the incremental runs could read, and corrected them: incremental runs alone would have ' +
    'left them stale. If it recurs, check what changes these records without emitting events (imports, ' +
    'scripts, support tools) and lower SYNC_FULL_REFRESH_MINUTES so full refreshes catch such changes sooner'
  );
}
