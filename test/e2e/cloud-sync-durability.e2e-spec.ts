import { queryTestDb } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';
import {
  control,
  createStripeSource,
  emulatorCustomers,
  liveRecords,
  type RunNode,
  waitForRun,
} from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

const CUSTOMERS = 5000;

async function runNode(stack: SyncStack, sourceId: string, runId: string): Promise<RunNode | undefined> {
  const { syncRuns } = await stack.call(op.SYNC_RUNS, { sourceId, first: 50 });
  return (syncRuns.edges as { node: RunNode }[]).map((e) => e.node).find((r) => r.runId === runId);
}

async function cursorOf(sourceId: string): Promise<string> {
  const rows = await queryTestDb<{ cursor: string }>('SELECT cursor FROM sync_state WHERE source_id = $1', [sourceId]);
  return rows[0].cursor;
}

async function recordCount(sourceId: string): Promise<number> {
  const rows = await queryTestDb<{ n: string }>('SELECT count(*) AS n FROM records WHERE source_id = $1', [sourceId]);
  return Number(rows[0].n);
}

// Slow every Stripe answer a little, so a 50-page sync is still running when the test interferes.
const slowDown = (stack: SyncStack, pages: number): Promise<unknown> =>
  control(stack.stripe, '/faults', { delayMs: 150, count: pages });

describe('Stripe sync durability', () => {
  let stack: SyncStack;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    stack = await startSyncStack({ customers: CUSTOMERS, inProcessWorker: false });
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stack?.close();
  });

  it('survives kill -9 of the worker mid-sync: the run completes with every row exactly once', async () => {
    worker = spawnWorker(stack.api.config, { STRIPE_API_BASE_URL: stack.stripe.url });
    await worker.ready();
    const sourceId = await createStripeSource(stack, 'Big billing');
    await slowDown(stack, 60);
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const runId = triggerSourceSync.runId as string;
    await eventually(
      async () => ((await runNode(stack, sourceId, runId))?.pages ?? 0) >= 5 || undefined,
      '5 committed pages',
    );

    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBeNull();
    const atKill = await runNode(stack, sourceId, runId);
    expect(atKill?.status).toBe('RUNNING');
    expect(atKill?.recordsInserted).toBeLessThan(CUSTOMERS);

    worker = spawnWorker(stack.api.config, { STRIPE_API_BASE_URL: stack.stripe.url });
    const run = await waitForRun(stack, sourceId, runId, 180_000);
    const expected = await emulatorCustomers(stack.stripe);
    const stored = await liveRecords(sourceId);
    console.log(
      `kill -9 outcome: expected ${expected.length}, present ${stored.size}, inserted ${run.recordsInserted}`,
    );
    expect(run).toMatchObject({ status: 'SUCCEEDED', recordsInserted: CUSTOMERS, recordsDeleted: 0 });
    expect(stored.size).toBe(CUSTOMERS);
    expect(await recordCount(sourceId)).toBe(CUSTOMERS);
    for (const customer of expected) {
      expect(stored.get(customer.id as string)).toEqual(customer);
    }
  }, 300_000);

  it('cancels mid-sync cleanly: counts match the rows written, and the next run completes the set', async () => {
    worker ??= spawnWorker(stack.api.config, { STRIPE_API_BASE_URL: stack.stripe.url });
    await worker.ready();
    const sourceId = await createStripeSource(stack, 'Cancelled billing');
    await slowDown(stack, 60);
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const runId = triggerSourceSync.runId as string;
    await eventually(
      async () => ((await runNode(stack, sourceId, runId))?.pages ?? 0) >= 3 || undefined,
      '3 committed pages',
    );
    // A second trigger while it runs returns the same run (USE_EXISTING), it does not start another.
    const again = (await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' })).triggerSourceSync;
    expect(again.runId).toBe(runId);

    await stack.call(op.CANCEL_SYNC, { sourceId, object: 'customers' });
    const cancelled = await waitForRun(stack, sourceId, runId);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.recordsInserted).toBeLessThan(CUSTOMERS);
    expect(await recordCount(sourceId)).toBe(cancelled.recordsInserted);
    const cancelAgain = await gql(stack.api.url, op.CANCEL_SYNC, { sourceId, object: 'customers' }, stack.token);
    expect(cancelAgain.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const { triggerSourceSync: next } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const completed = await waitForRun(stack, sourceId, next.runId as string, 180_000);
    expect(completed).toMatchObject({ status: 'SUCCEEDED', recordsRead: CUSTOMERS, recordsDeleted: 0 });
    expect(completed.recordsInserted + cancelled.recordsInserted).toBe(CUSTOMERS);
    expect(await recordCount(sourceId)).toBe(CUSTOMERS);
  }, 300_000);

  it('restarts the listing when the paging cursor vanishes at Stripe, and still ends exact', async () => {
    worker ??= spawnWorker(stack.api.config, { STRIPE_API_BASE_URL: stack.stripe.url });
    await worker.ready();
    const sourceId = await createStripeSource(stack, 'Vanishing cursor');
    // Pages 1-3 come quickly; the request for page 4 is held 5 s, long enough to delete its cursor.
    await fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' });
    await control(stack.stripe, '/faults', { delayMs: 100, count: 3 });
    await control(stack.stripe, '/faults', { delayMs: 5000, count: 1 });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const runId = triggerSourceSync.runId as string;
    await eventually(
      async () => ((await runNode(stack, sourceId, runId))?.pages ?? 0) >= 3 || undefined,
      '3 committed pages',
      30_000,
      50,
    );
    // The customer page 4 starts after is deleted at Stripe: the held request answers resource_missing.
    await control(stack.stripe, '/customers/delete', { ids: [await cursorOf(sourceId)] });

    const run = await waitForRun(stack, sourceId, runId, 180_000);
    const expected = await emulatorCustomers(stack.stripe);
    expect(run).toMatchObject({ status: 'SUCCEEDED', recordsInserted: CUSTOMERS, recordsDeleted: 1 });
    expect(run.recordsRead).toBeGreaterThan(expected.length); // the first pages were read twice
    expect([...(await liveRecords(sourceId)).keys()].sort()).toEqual(expected.map((c) => c.id).sort());
  }, 300_000);
});
