import { READ_AHEAD_PAGES } from '@app/sync';
import { queryTestDb } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';
import { holdNextCommit, runNode } from '../utils/run-control';
import {
  control,
  createStripeSource,
  emulatorCustomers,
  exactFirstSync,
  liveRecords,
  waitForRun,
} from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

const CUSTOMERS = 5000;
// What the Stripe connector asks for (stripe.connector.ts); 5000 customers are 50 full pages.
const PAGE_SIZE = 100;

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

/** Successful customer listings the emulator served. */
async function listingsServed(stack: SyncStack): Promise<number> {
  const stats = (await (await fetch(`${stack.stripe.url}/_emulator/stats`)).json()) as {
    byRoute: Record<string, Record<string, number>>;
  };
  return stats.byRoute['GET /v1/customers']?.['200'] ?? 0;
}

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
    // Kill the worker between fetching a page and committing it: that page is surely in flight.
    const held = await holdNextCommit(sourceId);
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBeNull();
    await held.release();
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
    // Exact: the pages fetched but not committed at the kill are fetched again by the one retry (its heartbeat
    // timed out) and counted once, when they commit. A page applied or counted twice breaks read, unchanged
    // or pages. Stripe served the held page twice, and the pages read ahead of it by then (how many depends
    // on the machine's load) too: 50 pages + 1 to 1 + READ_AHEAD_PAGES.
    const served = await listingsServed(stack);
    expect(served).toBeGreaterThanOrEqual(CUSTOMERS / PAGE_SIZE + 1);
    expect(served).toBeLessThanOrEqual(CUSTOMERS / PAGE_SIZE + 1 + READ_AHEAD_PAGES);
    expect(run).toMatchObject({
      ...exactFirstSync(CUSTOMERS),
      pages: CUSTOMERS / PAGE_SIZE,
      retries: 1,
    });
    expect(stored.size).toBe(CUSTOMERS);
    expect(await recordCount(sourceId)).toBe(CUSTOMERS);
    for (const customer of expected) {
      expect(stored.get(customer.id as string)).toEqual(customer);
    }
  }, 300_000);

  it('cancels mid-sync cleanly: counts match the rows written, and the next run completes the set from there', async () => {
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
    // The next run goes on from the cancelled run's last committed page (nothing is read twice).
    expect(completed).toMatchObject({ status: 'SUCCEEDED', recordsUpdated: 0, recordsDeleted: 0 });
    expect(completed.recordsRead + cancelled.recordsRead).toBe(CUSTOMERS);
    expect(completed.recordsInserted + cancelled.recordsInserted).toBe(CUSTOMERS);
    expect(await recordCount(sourceId)).toBe(CUSTOMERS);
  }, 300_000);

  it('restarts the listing when the paging cursor vanishes at Stripe, and still ends exact', async () => {
    worker ??= spawnWorker(stack.api.config, { STRIPE_API_BASE_URL: stack.stripe.url });
    await worker.ready();
    const sourceId = await createStripeSource(stack, 'Vanishing cursor');
    // Pages 1-3 come quickly; the request for page 4 is held 5 s, long enough to delete its cursor.
    await fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' });
    // On the listing only: the source's first request is the account lookup (GET /v1/account).
    await control(stack.stripe, '/faults', { delayMs: 100, count: 3, path: '/v1/customers' });
    await control(stack.stripe, '/faults', { delayMs: 5000, count: 1, path: '/v1/customers' });
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
