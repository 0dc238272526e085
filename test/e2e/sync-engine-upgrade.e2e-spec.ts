import {
  SYNC_WORKFLOW,
  SYNC_WORKFLOW_V1,
  SourceIdKey,
  SourceKindKey,
  SyncObjectKey,
  type SyncWorkflowInput,
  WORKFLOW_TASK_QUEUE,
  WorkspaceIdKey,
  makeSyncWorkflowId,
  sourceTaskQueue,
} from '@app/temporal';
import {
  ActivitySlots,
  CredentialVault,
  SyncStore,
  UpstreamBudget,
  createCloudSyncActivities,
  createSyncBookkeepingActivities,
} from '@app/sync';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, type LogEntry, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startWorkerApp, type WorkerApp } from '../../apps/worker/src/create-worker-app';
import { activityInterceptors } from '../../apps/worker/src/temporal/activity-interceptors';
import { workflowBundlerOptions } from '../../apps/worker/src/temporal/workflow-bundle';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { queryTestDb } from '../utils/database';
import { activityAttempts, type History } from '../utils/history';
import * as op from '../utils/operations';
import {
  control,
  emulatorCustomers,
  exactFirstSync,
  liveRecords,
  type RunNode,
  waitForRun,
} from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { testTemporalAddress } from '../utils/temporal';

// Issue 8 point 5: a sync started on engine v1 survives the deploy of engine v2. The previous release's
// worker (v1 workflow only, bookkeeping as normal activities, syncPage only on the source's queue) starts the
// run; mid-run it is shut down and today's worker app takes over and must finish it as syncCloudApp.
const CUSTOMERS = 5000;
const PAGES = CUSTOMERS / 100; // the Stripe connector's page size
const OLD_IDENTITY = 'tributary-worker-engine-v1@old-release';
const V1_WORKFLOWS = require.resolve('../fixtures/engine-v1-workflows');
const EXPECTED = /^No workflows registered, not polling for workflow tasks/;

interface OldRelease {
  stop(): Promise<void>;
}

/**
 * What the previous release's worker process registered, on the real services of a worker context: the
 * shared queue with only syncCloudApp and the bookkeeping activities, and the source's queue with only
 * syncPage (a v2 batch could not run there).
 */
async function startOldRelease(
  connection: NativeConnection,
  services: INestApplicationContext,
  stack: SyncStack,
  sourceId: string,
): Promise<OldRelease> {
  const shared = await Worker.create({
    connection,
    identity: OLD_IDENTITY,
    taskQueue: WORKFLOW_TASK_QUEUE,
    workflowsPath: V1_WORKFLOWS,
    bundlerOptions: workflowBundlerOptions(),
    activities: createSyncBookkeepingActivities(services.get(SyncStore)),
    interceptors: activityInterceptors(),
    shutdownGraceTime: '10 seconds',
  });
  const cloud = createCloudSyncActivities({
    store: services.get(SyncStore),
    vault: services.get(CredentialVault),
    slots: new ActivitySlots(stack.api.config.worker.maxConcurrentActivities),
    settings: stack.api.config,
    budget: services.get(UpstreamBudget),
  });
  const source = await Worker.create({
    connection,
    identity: OLD_IDENTITY,
    taskQueue: sourceTaskQueue(sourceId),
    activities: { syncPage: cloud.syncPage.bind(cloud) },
    interceptors: activityInterceptors(),
    maxHeartbeatThrottleInterval: '2 seconds',
    shutdownGraceTime: '10 seconds',
  });
  const running = [shared.run(), source.run()];
  let stopped: Promise<void> | undefined;
  return {
    // A deploy stops the old process gracefully: the page in flight commits before its worker goes.
    stop: () =>
      (stopped ??= (async () => {
        source.shutdown();
        shared.shutdown();
        await Promise.all(running);
      })()),
  };
}

/** The identities of the workers that started each syncPage activity of a history. */
function syncPageWorkers(history: History): string[] {
  const events = history.events ?? [];
  const scheduled = new Map<string, string>();
  const identities: string[] = [];
  for (const event of events) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s) {
      scheduled.set(String(event.eventId), s.activityType?.name ?? '');
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started && scheduled.get(String(started.scheduledEventId)) === 'syncPage') {
      identities.push(started.identity ?? '');
    }
  }
  return identities;
}

describe('a sync started on engine v1 survives the deploy of engine v2', () => {
  let stack: SyncStack;
  let client: Client;
  let connection: NativeConnection;
  let services: INestApplicationContext;
  let old: OldRelease | undefined;
  let worker: WorkerApp | undefined;
  let sourceId: string;

  beforeAll(async () => {
    try {
      // The old release's source worker is activity-only: the SDK's warning about that is expected.
      const quiet = (entry: LogEntry) => EXPECTED.test(entry.message) || console.warn(entry.message, entry.meta ?? '');
      Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN', quiet) });
    } catch {
      // another file of this jest process installed it already
    }
    // No worker of today's code runs until the swap.
    stack = await startSyncStack({ customers: CUSTOMERS, inProcessWorker: false });
    client = new Client({ connection: await Connection.connect({ address: testTemporalAddress() }) });
    connection = await NativeConnection.connect({ address: testTemporalAddress() });
    // The worker's own services (its module, not started): the old release used the same store and vault.
    services = await NestFactory.createApplicationContext(WorkerModule.forRoot(stack.api.config), {
      logger: false,
    });
  }, 120_000);
  afterAll(async () => {
    await old?.stop();
    await worker?.stop();
    await services?.close();
    await connection?.close();
    await client?.connection.close();
    await stack?.close();
  });

  it('completes the v1 run on the new worker with exact counts, still as syncCloudApp', async () => {
    // The source (through the api; nothing serves its queue until the old release's worker starts).
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'Upgraded billing', kind: 'STRIPE', environment: 'PRODUCTION' },
    });
    sourceId = createSource.id as string;
    await stack.call(op.SET_CREDENTIALS, { input: { sourceId, stripe: { secretKey: 'sk_test_tributary' } } });
    old = await startOldRelease(connection, services, stack, sourceId);

    // Started exactly as the previous api started a sync (source-syncs.service.ts before engine v2).
    const [{ workspace_id: workspaceId, kind }] = await queryTestDb<{ workspace_id: string; kind: string }>(
      'SELECT workspace_id, kind FROM sources WHERE id = $1',
      [sourceId],
    );
    await control(stack.stripe, '/faults', { delayMs: 300, count: PAGES, path: '/v1/customers' });
    const input: SyncWorkflowInput = {
      sourceId,
      object: 'customers',
      mode: 'FULL_REFRESH',
      queueWaitMs: stack.api.config.sync.queueWaitMs,
    };
    const handle = await client.workflow.start(SYNC_WORKFLOW_V1, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId: makeSyncWorkflowId(sourceId, 'customers'),
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: SourceIdKey, value: sourceId },
        { key: SourceKindKey, value: kind },
        { key: WorkspaceIdKey, value: workspaceId },
        { key: SyncObjectKey, value: 'customers' },
      ],
    });
    const runId = handle.firstExecutionRunId;

    const progress = async () =>
      (
        await queryTestDb<{ status: string; pages: number; records_inserted: number }>(
          'SELECT status, pages, records_inserted FROM sync_runs WHERE source_id = $1',
          [sourceId],
        )
      )[0];
    await eventually(async () => ((await progress())?.pages ?? 0) >= 3 || undefined, '3 pages committed by v1');

    // The deploy: the old process stops, today's worker app starts.
    await old.stop();
    const atSwap = await progress();
    expect(atSwap.status).toBe('RUNNING');
    expect(atSwap.pages).toBeGreaterThan(0);
    expect(atSwap.records_inserted).toBeLessThan(CUSTOMERS);
    worker = await startWorkerApp(stack.api.config);

    const run = await waitForRun(stack, sourceId, runId, 120_000);
    expect(run).toMatchObject({
      ...exactFirstSync(CUSTOMERS),
      pages: PAGES,
      error: null,
    });
    const [rows] = await queryTestDb<{ n: string; ids: string; live: string }>(
      `SELECT count(*) AS n, count(DISTINCT external_id) AS ids, count(*) FILTER (WHERE deleted_at IS NULL) AS live
         FROM records WHERE source_id = $1 AND object = 'customers'`,
      [sourceId],
    );
    expect(rows).toEqual({ n: String(CUSTOMERS), ids: String(CUSTOMERS), live: String(CUSTOMERS) });
    const stored = await liveRecords(sourceId);
    for (const customer of await emulatorCustomers(stack.stripe)) {
      expect(stored.get(customer.id as string)).toEqual(customer);
    }

    // Still the v1 workflow, one execution: it was finished, not restarted on engine v2.
    await handle.result();
    const executions: { type: string; runId: string }[] = [];
    for await (const execution of client.workflow.list({
      query: `WorkflowId = "${makeSyncWorkflowId(sourceId, 'customers')}"`,
    })) {
      executions.push({ type: execution.type, runId: execution.runId });
    }
    expect(executions).toEqual([{ type: SYNC_WORKFLOW_V1, runId }]);
    expect((await handle.describe()).status.name).toBe('COMPLETED');

    // A graceful shutdown may still lose one page: the next page, scheduled as the last in-flight one
    // completes, can be matched to the old worker's last poll and dropped (Temporal's, in any deploy). It is
    // then retried once after its heartbeat timeout and counted once. Nothing else may be retried.
    const history = await handle.fetchHistory();
    const retried = activityAttempts(history).filter((a) => a.attempt > 1);
    expect(retried).toEqual(
      run.retries ? [{ activity: 'syncPage', attempt: 2, lastFailure: 'activity Heartbeat timeout' }] : [],
    );

    // Pages went through both: the old release's worker before the swap, the new one after.
    const pageWorkers = syncPageWorkers(history);
    expect(pageWorkers).toHaveLength(PAGES);
    const byOld = pageWorkers.filter((id) => id === OLD_IDENTITY).length;
    console.log(
      `engine upgrade: ${byOld} of ${PAGES} pages read by the old release, the rest by the new worker; ` +
        `${run.retries} page(s) lost at the shutdown and retried`,
    );
    expect(byOld).toBe(atSwap.pages);
    expect(new Set(pageWorkers.filter((id) => id !== OLD_IDENTITY)).size).toBe(1);
  }, 300_000);

  it('a trigger after the deploy starts engine v2, which finds every row unchanged', async () => {
    expect(worker).toBeDefined();
    await fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const run: RunNode = await waitForRun(stack, sourceId, triggerSourceSync.runId as string, 120_000);
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      recordsRead: CUSTOMERS,
      recordsInserted: 0,
      recordsUpdated: 0,
      recordsUnchanged: CUSTOMERS,
      recordsDeleted: 0,
    });
    const described = await client.workflow
      .getHandle(makeSyncWorkflowId(sourceId, 'customers'), triggerSourceSync.runId as string)
      .describe();
    expect(described.type).toBe(SYNC_WORKFLOW);
    expect((await liveRecords(sourceId)).size).toBe(CUSTOMERS);
  }, 180_000);
});
