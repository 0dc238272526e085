import { SYNC_WORKFLOW, type SyncWorkflowInput, WORKFLOW_TASK_QUEUE, makeSyncWorkflowId } from '@app/temporal';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import Stripe from 'stripe';
import { stripeClientOptions } from '../../libs/connectors/src/stripe/stripe.connector';
import { queryTestDb, requiredEnv } from '../utils/database';
import * as op from '../utils/operations';
import {
  control,
  createStripeSource,
  emulatorCustomers,
  exactFirstSync,
  liveRecords,
  type RunNode,
  waitForRun,
} from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { testTemporalAddress } from '../utils/temporal';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

const CUSTOMERS = 5000;
const SLICES = 4;

interface SliceNode {
  index: number;
  createdFrom: string | null;
  createdBefore: string | null;
  pages: number;
  recordsRead: number;
  done: boolean;
}

const RUNS_WITH_SLICES = `query($sourceId: ID!) {
  syncRuns(sourceId: $sourceId, first: 10) {
    edges { node { runId status recordsRead recordsInserted recordsUpdated recordsUnchanged recordsDeleted pages retries
      slices { index createdFrom createdBefore pages recordsRead done } } }
  }
}`;

async function slicesOf(stack: SyncStack, sourceId: string, runId: string): Promise<SliceNode[]> {
  const { syncRuns } = await stack.call(RUNS_WITH_SLICES, { sourceId });
  const edges = syncRuns.edges as { node: RunNode & { slices: SliceNode[] } }[];
  return edges.find((e) => e.node.runId === runId)!.node.slices;
}

/** The slices' progress as committed (pages, done), straight from sync_slices. */
async function slicesInDb(sourceId: string): Promise<{ pages: number; done: boolean }[]> {
  return queryTestDb<{ pages: number; done: boolean }>(
    'SELECT pages, done FROM sync_slices WHERE source_id = $1 ORDER BY index',
    [sourceId],
  );
}

async function recordCount(sourceId: string): Promise<number> {
  const rows = await queryTestDb<{ n: string }>('SELECT count(*) AS n FROM records WHERE source_id = $1', [sourceId]);
  return Number(rows[0].n);
}

/** Every slice of the source is complete, its pages and records add up to the run's, and the windows tile. */
function expectWholeWindows(slices: SliceNode[], run: RunNode): void {
  expect(slices).toHaveLength(SLICES);
  expect(slices.every((s) => s.done)).toBe(true);
  expect(slices.reduce((n, s) => n + s.pages, 0)).toBe(run.pages);
  expect(slices.reduce((n, s) => n + s.recordsRead, 0)).toBe(run.recordsRead);
  expect(slices[0].createdFrom).toBeNull();
  expect(slices[SLICES - 1].createdBefore).toBeNull();
  for (let i = 1; i < SLICES; i++) {
    expect(slices[i].createdFrom).toBe(slices[i - 1].createdBefore);
  }
}

/**
 * Holds the commits of the source's slices (our transaction locks their rows; only the window `index` when
 * given) until a worker waits on them; `release` lets them go.
 */
async function holdSliceCommits(sourceId: string, index?: number): Promise<{ release(): Promise<void> }> {
  const client = new PgClient({ connectionString: requiredEnv('TEST_DATABASE_URL') });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM sync_slices WHERE source_id = $1 AND ($2::int IS NULL OR index = $2) FOR UPDATE', [
    sourceId,
    index ?? null,
  ]);
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  await eventually(
    async () => {
      const rows = await queryTestDb<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND query LIKE '%FROM sync_slices%FOR UPDATE%' AND pid <> $1`,
        [pid],
      );
      return Number(rows[0].n) > 0 || undefined;
    },
    'the worker waiting to commit fetched pages of a slice',
    30_000,
    50,
  );
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

describe('sliced first syncs', () => {
  let stack: SyncStack;
  let worker: WorkerProcess;
  let client: Client;

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: CUSTOMERS,
      inProcessWorker: false,
      // A day between full refreshes: the run after a first sync reads Stripe's events from where it stood.
      apiEnv: { SYNC_FIRST_SYNC_SLICES: String(SLICES), SYNC_FULL_REFRESH_MINUTES: '1440' },
    });
    worker = spawnWorker(stack.api.config, { STRIPE_API_BASE_URL: stack.stripe.url });
    await worker.ready();
    client = new Client({ connection: await Connection.connect({ address: testTemporalAddress() }) });
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await client?.connection.close();
    await stack?.close();
  });
  afterEach(async () => {
    await control(stack.stripe, '/latency', { ms: 0 });
    await fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' });
  });

  it('reads the windows at once and equals the emulator exactly, with a customer created during the sync', async () => {
    const sourceId = await createStripeSource(stack, 'Sliced billing');
    // 300 ms per answer: 13 pages per window take seconds, enough to see the windows read side by side.
    await control(stack.stripe, '/latency', { ms: 300 });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const runId = triggerSourceSync.runId as string;
    await eventually(async () => ((await slicesInDb(sourceId)).length > 0 ? true : undefined), 'the slices planned');
    // Created after the windows were planned, before the newest window's first answer (300 ms away): the
    // newest window is open above, so it is listed.
    await control(stack.stripe, '/customers/seed', { count: 1 });
    // Every window has committed pages while none is done: they are read at once, not one after another.
    await eventually(
      async () => {
        const slices = await slicesInDb(sourceId);
        return slices.every((s) => s.pages > 0 && !s.done) || undefined;
      },
      'all windows in progress at once',
      30_000,
      50,
    );
    await control(stack.stripe, '/latency', { ms: 0 });
    const run = await waitForRun(stack, sourceId, runId, 180_000);
    const expected = await emulatorCustomers(stack.stripe);
    expect(expected).toHaveLength(CUSTOMERS + 1);
    expect(run).toMatchObject({ ...exactFirstSync(CUSTOMERS + 1), retries: 0 });
    const stored = await liveRecords(sourceId);
    expect(stored.size).toBe(CUSTOMERS + 1);
    for (const customer of expected) {
      expect(stored.get(customer.id as string)).toEqual(customer);
    }
    expectWholeWindows(await slicesOf(stack, sourceId, runId), run);

    // The next sync is not a first sync: it reads Stripe's events from the head recorded before the windows.
    const stripe = new Stripe('sk_test_tributary', stripeClientOptions(stack.stripe.url));
    const renamed = expected[0].id as string;
    await stripe.customers.update(renamed, { name: 'Renamed after the windows' });
    const again = (await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' })).triggerSourceSync;
    const second = await waitForRun(stack, sourceId, again.runId as string);
    expect(second).toMatchObject({ mode: 'INCREMENTAL', status: 'SUCCEEDED', recordsUpdated: 1, recordsDeleted: 0 });
    expect(await slicesOf(stack, sourceId, again.runId as string)).toEqual([]);
    const now = await liveRecords(sourceId);
    expect(now.size).toBe(CUSTOMERS + 1);
    expect(now.get(renamed)).toMatchObject({ name: 'Renamed after the windows' });
  }, 300_000);

  it('survives kill -9 of the worker mid sliced sync: every row exactly once, counts equal to the rows', async () => {
    const sourceId = await createStripeSource(stack, 'Sliced and killed');
    await control(stack.stripe, '/faults', { delayMs: 150, count: 80, path: '/v1/customers' });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const runId = triggerSourceSync.runId as string;
    await eventually(
      async () => ((await slicesInDb(sourceId)).reduce((n, s) => n + s.pages, 0) >= 8 ? true : undefined),
      '8 committed pages across the slices',
    );
    // Kill the worker while it waits to commit fetched pages: those pages are surely in flight.
    const held = await holdSliceCommits(sourceId);
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBeNull();
    await held.release();
    const atKill = await slicesInDb(sourceId);
    expect(atKill.some((s) => !s.done)).toBe(true);

    worker = spawnWorker(stack.api.config, { STRIPE_API_BASE_URL: stack.stripe.url });
    const run = await waitForRun(stack, sourceId, runId, 240_000);
    const expected = await emulatorCustomers(stack.stripe);
    const stored = await liveRecords(sourceId);
    console.log(`sliced kill -9: expected ${expected.length}, present ${stored.size}, run ${JSON.stringify(run)}`);
    expect(run).toMatchObject(exactFirstSync(expected.length));
    expect(run.retries).toBeGreaterThanOrEqual(1);
    expect(stored.size).toBe(expected.length);
    expect(await recordCount(sourceId)).toBe(expected.length);
    for (const customer of expected) {
      expect(stored.get(customer.id as string)).toEqual(customer);
    }
    expectWholeWindows(await slicesOf(stack, sourceId, runId), run);
  }, 360_000);

  it('continues as new with its slices: the cursors stay in sync_slices, the run ends exact', async () => {
    await worker.ready();
    const sourceId = await createStripeSource(stack, 'Sliced and continued');
    // 2 pages per batch, 3 batches per workflow run: 50-odd pages take several runs.
    const input: SyncWorkflowInput = {
      sourceId,
      object: 'customers',
      mode: 'FULL_REFRESH',
      slices: SLICES,
      pagesPerBatch: 2,
      batchesPerRun: 3,
    };
    const workflowId = makeSyncWorkflowId(sourceId, 'customers');
    const handle = await client.workflow.start(SYNC_WORKFLOW, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId,
      args: [input],
    });
    const run = await waitForRun(stack, sourceId, handle.firstExecutionRunId, 180_000);
    const expected = await emulatorCustomers(stack.stripe);
    expect(run).toMatchObject({ ...exactFirstSync(expected.length), retries: 0 });
    expect((await liveRecords(sourceId)).size).toBe(expected.length);
    expectWholeWindows(await slicesOf(stack, sourceId, handle.firstExecutionRunId), run);
    const chain: string[] = [];
    for await (const execution of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      chain.push(execution.runId);
    }
    expect(chain.length).toBeGreaterThanOrEqual(3);
  }, 240_000);

  it('cancels mid sliced sync cleanly: the run counts exactly the rows its windows wrote, nothing after', async () => {
    await worker.ready();
    const sourceId = await createStripeSource(stack, 'Sliced and cancelled');
    await control(stack.stripe, '/faults', { delayMs: 150, count: 80, path: '/v1/customers' });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const runId = triggerSourceSync.runId as string;
    await eventually(
      async () => ((await slicesInDb(sourceId)).reduce((n, s) => n + s.pages, 0) >= 6 ? true : undefined),
      '6 committed pages across the slices',
    );
    // The first window is about to commit pages when the cancel comes; the others end their batches at once.
    const held = await holdSliceCommits(sourceId, 0);
    await stack.call(op.CANCEL_SYNC, { sourceId, object: 'customers' });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await held.release();
    const run = await waitForRun(stack, sourceId, runId);
    expect(run.status).toBe('CANCELLED');
    const rows = await recordCount(sourceId);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(CUSTOMERS);
    expect(run).toMatchObject({ recordsRead: rows, recordsInserted: rows, recordsUnchanged: 0, recordsDeleted: 0 });
    const slices = await slicesOf(stack, sourceId, runId);
    expect(slices.reduce((n, s) => n + s.recordsRead, 0)).toBe(rows);
    // Every window's batch had ended (committed or refused) when the run did: nothing is written afterwards.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await recordCount(sourceId)).toBe(rows);
  }, 120_000);
});
