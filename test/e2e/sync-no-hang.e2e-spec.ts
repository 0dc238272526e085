import { SYNC_WORKFLOW, type SyncWorkflowInput, WORKFLOW_TASK_QUEUE, makeSyncWorkflowId } from '@app/temporal';
import { Client, Connection } from '@temporalio/client';
import { SourceWorkerRegistry } from '../../apps/worker/src/temporal/source-worker-registry.service';
import { Client as PgClient } from 'pg';
import { queryTestDb, requiredEnv } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';
import {
  control,
  createStripeSource,
  emulatorCustomers,
  liveRecords,
  type RunNode,
  servedWithin,
  syncAndWait,
  waitForRun,
} from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { testTemporalAddress } from '../utils/temporal';

// Issue 8 point 3: no sync waits forever. One in-process worker with 2 process slots; a page waits at most
// 3 s for its queue to be served (SYNC_QUEUE_WAIT_SECONDS), a run is stalled after 2 s without a page
// (SYNC_STALL_SECONDS). The worker's periodic reconcile is 10 min
// away, so only the test decides what it serves.
const RUNS = `query($sourceId: ID!) {
  syncRuns(sourceId: $sourceId, first: 5) { edges { node { status runId currentRunId needsAttention attentionReason
    recordsRead recordsInserted pages temporalUrl } } }
}`;
const CANCEL = `mutation($sourceId: ID!) { cancelSourceSync(sourceId: $sourceId, object: "customers") { runId currentRunId } }`;

interface RunView {
  status: string;
  runId: string;
  currentRunId: string;
  needsAttention: boolean;
  attentionReason: string | null;
  recordsRead: number;
  recordsInserted: number;
  pages: number;
}

describe('syncs never hang', () => {
  let stack: SyncStack;
  let client: Client;

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 250,
      apiEnv: { SYNC_QUEUE_WAIT_SECONDS: '3', SYNC_STALL_SECONDS: '2' },
      workerEnv: { maxConcurrentActivities: '2', reconcileIntervalMs: '600000' },
    });
    client = new Client({ connection: await Connection.connect({ address: testTemporalAddress() }) });
  }, 120_000);
  afterAll(async () => {
    await client?.connection.close();
    await stack?.close();
  });
  afterEach(() => fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' }));

  // A run's row ends a moment before its workflow: the next trigger must not join the one finishing.
  const closed = (sourceId: string) =>
    eventually(async () => {
      const { status } = await client.workflow.getHandle(makeSyncWorkflowId(sourceId, 'customers')).describe();
      return status.name === 'RUNNING' ? undefined : true;
    }, 'the workflow to close');

  it('batches waiting for one of 2 process slots heartbeat: 6 sources at once, no heartbeat timeout', async () => {
    const sources = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => createStripeSource(stack, `Crowd ${n}`)));
    // 6 batches of 3 pages, each answer held 1.5 s, 2 batches at a time: batches wait up to ~9 s for a slot,
    // the heartbeat timeout is 3 s.
    await control(stack.stripe, '/faults', { delayMs: 1500, count: 18, path: '/v1/customers' });
    const runIds = await Promise.all(
      sources.map(async (sourceId) => {
        const input: SyncWorkflowInput = {
          sourceId,
          object: 'customers',
          mode: 'FULL_REFRESH',
          heartbeatTimeoutMs: 3000,
        };
        const handle = await client.workflow.start(SYNC_WORKFLOW, {
          taskQueue: WORKFLOW_TASK_QUEUE,
          workflowId: makeSyncWorkflowId(sourceId, 'customers'),
          args: [input],
        });
        return handle.firstExecutionRunId;
      }),
    );
    const runs = await Promise.all(sources.map((sourceId, i) => waitForRun(stack, sourceId, runIds[i], 90_000)));
    for (const run of runs) {
      expect(run).toMatchObject({ status: 'SUCCEEDED', recordsInserted: 250, pages: 3, retries: 0 });
    }
  }, 120_000);

  it('a page nobody picks up fails the run: "No worker serves this source", within the configured wait', async () => {
    const sourceId = await createStripeSource(stack, 'Unserved');
    const registry = stack.worker!.app.get(SourceWorkerRegistry);
    // The worker stops serving the source while the source stays ACTIVE (as when its worker is gone).
    await queryTestDb("UPDATE sources SET status = 'PAUSED' WHERE id = $1", [sourceId]);
    await registry.reconcile();
    await queryTestDb("UPDATE sources SET status = 'ACTIVE' WHERE id = $1", [sourceId]);
    await servedWithin(stack, sourceId, false, 5000);

    const started = Date.now();
    const run = await syncAndWait(stack, sourceId, 30_000);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^No worker serves this source \(queue source-[0-9a-f-]{36}\): start a Tributary worker/);
    expect(run.error).toContain('trigger the sync again');
    expect(Date.now() - started).toBeLessThan(15_000);

    // Served again: the same sync goes through.
    await closed(sourceId);
    await registry.reconcile();
    await servedWithin(stack, sourceId, true, 5000);
    expect(await syncAndWait(stack, sourceId)).toMatchObject({ status: 'SUCCEEDED', recordsInserted: 250 });
  }, 60_000);

  // A source's first request is its account lookup (for the request budget), then the listing: a cancel
  // must abort whichever is in flight, long before the held answer would arrive.
  it.each([
    ['the listing', '/v1/customers'],
    ['the account lookup', '/v1/account'],
  ])(
    'cancelling aborts the request in flight (%s): CANCELLED well before the slow answer',
    async (what, path) => {
      const sourceId = await createStripeSource(stack, `Cancelled while waiting for ${what}`);
      await control(stack.stripe, '/faults', { delayMs: 15_000, count: 1, path });
      const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
      await eventually(
        async () => {
          const res = await fetch(`${stack.stripe.url}/_emulator/faults`);
          return ((await res.json()) as { pending: unknown[] }).pending.length === 0 || undefined;
        },
        'the held request to reach the emulator',
        10_000,
        50,
      );
      const cancelledAt = Date.now();
      await stack.call(op.CANCEL_SYNC, { sourceId, object: 'customers' });
      const run = await waitForRun(stack, sourceId, triggerSourceSync.runId as string, 30_000);
      expect(run).toMatchObject({ status: 'CANCELLED', pages: 0, recordsRead: 0, retries: 0 });
      expect(Date.now() - cancelledAt).toBeLessThan(7_000);
    },
    60_000,
  );

  it('a failed run is resumed from its last committed page; deletions are still marked at the end', async () => {
    const sourceId = await createStripeSource(stack, 'Resumed');
    expect(await syncAndWait(stack, sourceId)).toMatchObject({ status: 'SUCCEEDED', recordsInserted: 250 });
    await closed(sourceId);
    await control(stack.stripe, '/customers/delete', { count: 3 });
    // Page 1 passes, page 2 gets a non-retryable 400: the run fails after one committed page.
    await control(stack.stripe, '/faults', { delayMs: 1, count: 1, path: '/v1/customers' });
    await control(stack.stripe, '/faults', { status: 400, count: 1, path: '/v1/customers' });
    const failed = await syncAndWait(stack, sourceId);
    expect(failed).toMatchObject({ status: 'FAILED', pages: 1, recordsRead: 100, recordsDeleted: 0 });
    await closed(sourceId);

    await fetch(`${stack.stripe.url}/_emulator/stats`, { method: 'DELETE' });
    const resumed = await syncAndWait(stack, sourceId);
    // 247 customers: pages of 100, 100 and 47; the failed run read the first.
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', pages: 2, recordsRead: 147, recordsDeleted: 3 });
    const stats = (await (await fetch(`${stack.stripe.url}/_emulator/stats`)).json()) as {
      byRoute: Record<string, Record<string, number>>;
    };
    expect(stats.byRoute['GET /v1/customers']).toEqual({ 200: 2 });
    const expected = await emulatorCustomers(stack.stripe);
    expect([...(await liveRecords(sourceId)).keys()].sort()).toEqual(expected.map((c) => c.id).sort());
    const [{ n }] = await queryTestDb<{ n: string }>(
      "SELECT count(*) AS n FROM records WHERE source_id = $1 AND object = 'customers' AND deleted_at IS NOT NULL",
      [sourceId],
    );
    expect(Number(n)).toBe(3);
  }, 120_000);

  it('a pause racing a trigger never leaves a run on the paused source: it is cancelled or never starts', async () => {
    const sourceId = await createStripeSource(stack, 'Pause racing trigger');
    await control(stack.stripe, '/faults', { delayMs: 200, count: 1000, path: '/v1/customers' });
    for (let i = 0; i < 20; i++) {
      await stack.call(op.RESUME_SOURCE, { id: sourceId });
      // Either may go first, by up to a few milliseconds.
      const lead = (i % 10) - 4;
      const later = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
      await Promise.all([
        later(lead).then(() => gql(stack.api.url, op.TRIGGER_SYNC, { sourceId, object: 'customers' }, stack.token)),
        later(-lead).then(() => stack.call(op.PAUSE_SOURCE, { id: sourceId })),
      ]);
      // Whatever won, nothing is left running on the paused source.
      const runs = await eventually(
        async () => {
          const { syncRuns } = await stack.call(op.SYNC_RUNS, { sourceId, first: 50 });
          const nodes = (syncRuns.edges as { node: RunNode }[]).map((e) => e.node);
          return nodes.some((r) => r.status === 'RUNNING') ? undefined : nodes;
        },
        'no running sync',
        20_000,
      );
      // A run the pause did not cancel started after it: it would finish or wait on the paused source.
      expect(runs.filter((r) => r.status !== 'CANCELLED').map((r) => [r.status, r.error])).toEqual([]);
    }
  }, 300_000);

  it('a trigger held between its checks and its start cannot start a run on a source paused meanwhile', async () => {
    const sourceId = await createStripeSource(stack, 'Trigger held');
    await control(stack.stripe, '/faults', { delayMs: 200, count: 1000, path: '/v1/customers' });
    // Holding source_credentials makes the trigger wait inside its checks (its credentials read).
    const db = new PgClient({ connectionString: requiredEnv('TEST_DATABASE_URL') });
    await db.connect();
    await db.query('BEGIN');
    await db.query('LOCK TABLE source_credentials IN ACCESS EXCLUSIVE MODE');
    const trigger = gql(stack.api.url, op.TRIGGER_SYNC, { sourceId, object: 'customers' }, stack.token);
    await new Promise((r) => setTimeout(r, 300));
    const pause = stack.call(op.PAUSE_SOURCE, { id: sourceId });
    await new Promise((r) => setTimeout(r, 300));
    await db.query('COMMIT');
    await db.end();
    const [triggered] = await Promise.all([trigger, pause]);
    expect(triggered.errors).toBeUndefined(); // it went first: the pause then cancelled its run
    const run = await waitForRun(stack, sourceId, triggered.data?.triggerSourceSync.runId as string, 20_000);
    expect(run.status).toBe('CANCELLED');
  }, 60_000);

  it('deleting a source cancels its running sync before the deletion commits; nothing is written after', async () => {
    const sourceId = await createStripeSource(stack, 'Deleted mid-sync');
    await control(stack.stripe, '/faults', { delayMs: 300, count: 20, path: '/v1/customers' });
    await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    await eventually(
      async () => (await queryTestDb('SELECT 1 FROM sync_runs WHERE source_id = $1', [sourceId]))[0],
      'run',
    );
    await stack.call(op.DELETE_SOURCE, { id: sourceId });
    const [run] = await queryTestDb<{ status: string; records_inserted: number }>(
      'SELECT status, records_inserted FROM sync_runs WHERE source_id = $1',
      [sourceId],
    );
    expect(run.status).toBe('CANCELLED');
    await new Promise((r) => setTimeout(r, 1000));
    const [{ n }] = await queryTestDb<{ n: string }>('SELECT count(*) AS n FROM records WHERE source_id = $1', [
      sourceId,
    ]);
    expect(Number(n)).toBe(run.records_inserted);
  }, 60_000);

  it('flags a run without a committed page for SYNC_STALL_SECONDS as needing attention', async () => {
    const sourceId = await createStripeSource(stack, 'Stalled');
    await control(stack.stripe, '/faults', { delayMs: 5000, count: 1, path: '/v1/customers' });
    await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const latest = async (): Promise<RunView> => (await stack.call(RUNS, { sourceId })).syncRuns.edges[0]?.node;
    const running = await eventually(() => latest(), 'the run row');
    expect(running).toMatchObject({ status: 'RUNNING', needsAttention: false, attentionReason: null });
    const stalled = await eventually(async () => ((await latest()).needsAttention ? latest() : undefined), 'stall');
    expect(stalled.status).toBe('RUNNING');
    expect(stalled.attentionReason).toMatch(/^No page committed for 0 min [2-9] s: check that Source.taskQueues/);
    const done = await eventually(async () => ((await latest()).status === 'RUNNING' ? undefined : latest()), 'end');
    expect(done).toMatchObject({ status: 'SUCCEEDED', needsAttention: false, attentionReason: null });
  }, 60_000);

  describe('continue-as-new (2,000 customers)', () => {
    beforeAll(async () => {
      const count = 2000 - (await emulatorCustomers(stack.stripe)).length;
      await control(stack.stripe, '/customers/seed', { count });
    });

    const start = async (sourceId: string, pagesPerBatch: number, batchesPerRun: number): Promise<string> => {
      const input: SyncWorkflowInput = {
        sourceId,
        object: 'customers',
        mode: 'FULL_REFRESH',
        pagesPerBatch,
        batchesPerRun,
      };
      const handle = await client.workflow.start(SYNC_WORKFLOW, {
        taskQueue: WORKFLOW_TASK_QUEUE,
        workflowId: makeSyncWorkflowId(sourceId, 'customers'),
        args: [input],
      });
      return handle.firstExecutionRunId;
    };
    const latest = async (sourceId: string): Promise<RunView> =>
      (await stack.call(RUNS, { sourceId })).syncRuns.edges[0]?.node;

    it('continues as new after each 5-page batch and ends exact; runId is the first run, currentRunId the last', async () => {
      const sourceId = await createStripeSource(stack, 'Long listing');
      const firstRunId = await start(sourceId, 5, 1);
      const run = await waitForRun(stack, sourceId, firstRunId, 120_000);
      expect(run).toMatchObject({ status: 'SUCCEEDED', recordsRead: 2000, recordsInserted: 2000, pages: 20 });
      expect(run).toMatchObject({ recordsDeleted: 0, retries: 0, runId: firstRunId });
      const chain: string[] = [];
      for await (const execution of client.workflow.list({
        query: `WorkflowId = "${makeSyncWorkflowId(sourceId, 'customers')}"`,
      })) {
        chain.push(execution.runId);
      }
      expect(chain).toHaveLength(4); // 20 pages, one 5-page batch per run
      expect(chain).toContain(firstRunId);
      const view = await latest(sourceId);
      const last = await client.workflow.getHandle(makeSyncWorkflowId(sourceId, 'customers')).describe();
      expect(view.currentRunId).toBe(last.runId);
      expect(view.currentRunId).not.toBe(firstRunId);
      expect(await liveRecords(sourceId)).toHaveProperty('size', 2000);
    }, 180_000);

    it('cancelSourceSync after a continue-as-new cancels the current run and names the first', async () => {
      const sourceId = await createStripeSource(stack, 'Cancelled long listing');
      await control(stack.stripe, '/faults', { delayMs: 200, count: 100, path: '/v1/customers' });
      const firstRunId = await start(sourceId, 1, 2);
      const moved = await eventually(async () => {
        const view = await latest(sourceId);
        return view && view.currentRunId !== firstRunId && view.pages >= 3 ? view : undefined;
      }, 'a continue-as-new');
      expect(moved.runId).toBe(firstRunId);
      const { cancelSourceSync } = await stack.call(CANCEL, { sourceId });
      expect(cancelSourceSync.runId).toBe(firstRunId);
      const run = await waitForRun(stack, sourceId, firstRunId, 30_000);
      expect(run.status).toBe('CANCELLED');
      expect((await latest(sourceId)).currentRunId).toBe(cancelSourceSync.currentRunId);
      expect(run.recordsInserted).toBeLessThan(2000);
      expect((await liveRecords(sourceId)).size).toBe(run.recordsInserted);
    }, 120_000);
  });
});
