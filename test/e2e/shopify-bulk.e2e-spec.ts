import { ALL_SCOPES, DEFAULT_TOKEN, type Resource } from '../../emulators/shopify/src';
import { queryTestDb } from '../utils/database';
import * as op from '../utils/operations';
import { shopifyControl } from '../utils/shopify-emulator';
import {
  SHOP,
  SHOPIFY_OBJECTS,
  bulkJobs,
  createShopifySource,
  heldSlots,
  shopifyTruth,
  sorted,
  storedView,
} from '../utils/shopify-sync';
import { liveRecords, type RunNode, syncAndWait, waitForRun } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

const COUNTS: Record<Resource, number> = { customers: 600, orders: 300, products: 100 };
// The shop's data was generated in the year before this date, so none of it is within an incremental run's
// lookback; the emulator's clock starts there and runs on in real time unless a test pins it.
const GENERATED_BEFORE = Date.UTC(2026, 5, 1);
const STARTED = Date.now();
const BULK_TIMING = { startDelayMs: 50, durationMs: 250 };

type Fault = { delayMs: 0 } | { status: 429; retryAfter: string } | { status: 500 | 502 | 503 } | { throttled: true };
const OK: Fault = { delayMs: 0 };
// 20 API answers, 6 of them faults (30%): the edge's 429, gateway 5xx and THROTTLED (HTTP 200), never two in a row.
const PATTERN: Fault[] = [
  ...[OK, OK, { status: 429, retryAfter: '0.1' }, OK, OK, { status: 502 }, OK, OK, OK, { throttled: true }],
  ...[OK, OK, { status: 503 }, OK, OK, { status: 429, retryAfter: '0.1' }, OK, OK, OK, { status: 500 }],
] as Fault[];
/** How many of the first `answers` answers the repeated PATTERN faulted. */
const faultsIn = (answers: number) =>
  Array.from({ length: answers }, (_, i) => PATTERN[i % PATTERN.length]).filter((fault) => fault !== OK).length;

// Issue 14 points 2 and 6: full refreshes through bulk operations in the real engine (Temporal, Postgres, the
// worker) against the emulator: a job failing mid-way, 30% faults on a full and an incremental run, two sources
// of one shop sharing its 5 bulk slots, and many rows sharing one updated_at at an incremental window's boundary.
describe('Shopify full refreshes through bulk operations', () => {
  let stack: SyncStack;
  const control = <T = Record<string, unknown>>(method: string, path: string, body?: object) =>
    shopifyControl<T>(stack.shopify!, method, path, body);
  const sync = (sourceId: string, object: string) => syncAndWait(stack, sourceId, 180_000, object);
  const exactly = async (sourceId: string, object: Resource) =>
    expect(sorted(storedView(await liveRecords(sourceId, object)))).toEqual(sorted(shopifyTruth(stack, object)));

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 10,
      shopify: {
        ...COUNTS,
        limits: false,
        shopDomain: SHOP,
        clock: () => GENERATED_BEFORE + (Date.now() - STARTED),
        bulk: BULK_TIMING,
        tokens: { [DEFAULT_TOKEN]: ALL_SCOPES },
      },
      apiEnv: {
        // A day between full refreshes, so a second run is incremental unless a test ages the last full one.
        SYNC_FULL_REFRESH_MINUTES: '1440',
        SHOPIFY_COST_POINTS_PER_SECOND: '100000',
        SHOPIFY_COST_BUCKET_POINTS: '100000',
      },
    });
  }, 120_000);
  afterEach(async () => {
    await control('DELETE', '/faults');
    await control('POST', '/clock', { restore: true });
    await control('POST', '/bulk', BULK_TIMING);
  });
  afterAll(() => stack?.close());

  it('a job FAILED mid-way is run again: rows exact, and unseen rows are deleted only once a job COMPLETED', async () => {
    const sourceId = await createShopifySource(stack, 'Shop, failing job', DEFAULT_TOKEN);
    const before = bulkJobs(stack, 'orders').length;
    // Its first 400 JSONL lines (about 115 orders with their line items) are the failed job's partial data.
    await control('POST', '/bulk/faults', { errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 400, count: 1 });
    const first = await sync(sourceId, 'orders');
    expect(first).toMatchObject({
      mode: 'FULL_REFRESH',
      status: 'SUCCEEDED',
      recordsRead: COUNTS.orders,
      recordsInserted: COUNTS.orders,
      recordsUpdated: 0,
      recordsDeleted: 0,
    });
    expect(bulkJobs(stack, 'orders').slice(before)).toEqual([
      expect.objectContaining({ status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR' }),
      expect.objectContaining({ status: 'COMPLETED' }),
    ]);
    await exactly(sourceId, 'orders');

    // The next full refresh: 5 orders are gone from the shop, and its jobs fail twice before one completes. The
    // emulator's clock is pinned, so each job ends only when the test moves it.
    const { ids } = await control<{ ids: string[] }>('GET', '/objects/orders');
    await control('POST', '/objects/orders/delete', { ids: ids.slice(0, 5) });
    await queryTestDb(
      `UPDATE sync_runs SET finished_at = finished_at - interval '2 days' WHERE source_id = $1 AND object = 'orders'`,
      [sourceId],
    );
    await control('POST', '/bulk/faults', { errorCode: 'TIMEOUT', afterObjects: 100, count: 2 });
    await control('POST', '/clock', { nowMs: GENERATED_BEFORE + 86_400_000 });
    const mark = bulkJobs(stack, 'orders').length;
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'orders' });
    for (let jobs = 1; jobs <= 3; jobs++) {
      await eventually(
        () => Promise.resolve(bulkJobs(stack, 'orders').length - mark === jobs ? true : undefined),
        `bulk job ${jobs} of the second full refresh`,
      );
      const deleted = await queryTestDb<{ n: string }>(
        `SELECT count(*) AS n FROM records WHERE source_id = $1 AND object = 'orders' AND deleted_at IS NOT NULL`,
        [sourceId],
      );
      expect(Number(deleted[0].n)).toBe(0); // nothing reconciled while no job has completed
      await control('POST', '/clock', { advanceMs: 10_000 });
    }
    const second = await waitForRun(stack, sourceId, triggerSourceSync.runId as string, 180_000);
    expect(second).toMatchObject({
      mode: 'FULL_REFRESH',
      status: 'SUCCEEDED',
      recordsRead: COUNTS.orders - 5,
      recordsInserted: 0,
      recordsDeleted: 5,
    });
    expect(
      bulkJobs(stack, 'orders')
        .slice(mark)
        .map((job) => job.status),
    ).toEqual(['FAILED', 'FAILED', 'COMPLETED']);
    await exactly(sourceId, 'orders');
    expect(await heldSlots()).toEqual([]);
  }, 400_000);

  it('30% of the API answers are 429, 5xx or THROTTLED on a full and an incremental run: rows and counts exact', async () => {
    const sourceId = await createShopifySource(stack, 'Shop, faulty', DEFAULT_TOKEN);
    const queued = 20 * PATTERN.length;
    for (let round = 0; round < 20; round++) {
      for (const fault of PATTERN) {
        await control('POST', '/faults', fault);
      }
    }
    await control('POST', '/bulk/faults', { errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 300, count: 1 });
    const answered = async () => {
      const { pending } = await control<{ pending: { count: number }[] }>('GET', '/faults');
      return queued - pending.reduce((sum, fault) => sum + fault.count, 0);
    };
    const full = await sync(sourceId, 'customers');
    const afterFull = await answered();
    expect(full).toMatchObject({
      mode: 'FULL_REFRESH',
      status: 'SUCCEEDED',
      recordsRead: COUNTS.customers,
      recordsInserted: COUNTS.customers,
      recordsDeleted: 0,
    });
    await exactly(sourceId, 'customers');

    const { ids } = await control<{ ids: string[] }>('GET', '/objects/customers');
    await control('POST', '/objects/customers/update', { ids: ids.slice(10, 310), set: { note: 'changed' } });
    await control('POST', '/objects/customers/create', { count: 5 });
    const incremental = await sync(sourceId, 'customers');
    expect(incremental).toMatchObject({
      mode: 'INCREMENTAL',
      status: 'SUCCEEDED',
      recordsInserted: 5,
      recordsUpdated: 300,
      recordsDeleted: 0,
    });
    await exactly(sourceId, 'customers');
    // The faults did hit both runs (3 in every 10 answers).
    const afterIncremental = await answered();
    expect(faultsIn(afterFull)).toBeGreaterThanOrEqual(2);
    expect(faultsIn(afterIncremental) - faultsIn(afterFull)).toBeGreaterThanOrEqual(1);
    expect(full.retries + incremental.retries).toBeGreaterThan(0);
  }, 400_000);

  it('two sources of one shop refreshing everything at once share its 5 bulk slots: Shopify never refuses a job', async () => {
    await control('POST', '/reset', COUNTS);
    // Long enough that the six jobs overlap: the sixth waits for a slot.
    await control('POST', '/bulk', { startDelayMs: 50, durationMs: 3_000 });
    const sources = [
      await createShopifySource(stack, 'Shop, first source', DEFAULT_TOKEN),
      await createShopifySource(stack, 'Shop, second source', DEFAULT_TOKEN),
    ];
    const runs = await Promise.all(
      sources.flatMap((sourceId) => SHOPIFY_OBJECTS.map((object) => sync(sourceId, object))),
    );
    runs.forEach((run: RunNode, i) =>
      expect(run).toMatchObject({
        status: 'SUCCEEDED',
        mode: 'FULL_REFRESH',
        recordsInserted: COUNTS[SHOPIFY_OBJECTS[i % 3]],
      }),
    );
    const { bulk } = await control<{ bulk: { created: number; maxRunning: number; refused: number } }>('GET', '');
    expect(bulk).toMatchObject({ created: 6, maxRunning: 5, refused: 0 });
    for (const sourceId of sources) {
      for (const object of SHOPIFY_OBJECTS) {
        await exactly(sourceId, object);
      }
    }
    expect(await heldSlots()).toEqual([]);
  }, 400_000);

  it('incremental: many rows sharing one updated_at, across pages and the window boundary, none lost', async () => {
    const sourceId = await createShopifySource(stack, 'Shop, crowded second', DEFAULT_TOKEN);
    expect(await sync(sourceId, 'customers')).toMatchObject({ mode: 'FULL_REFRESH', status: 'SUCCEEDED' });
    const { nowMs } = await control<{ nowMs: number }>('GET', '/clock');
    const second = Math.floor(nowMs / 1000) * 1000 + 2_000;
    const ids = [...shopifyTruth(stack, 'customers').keys()].map((gid) => gid.split('/').pop()!);

    // 400 customers changed at one second: past the 250-record page boundary of the change log.
    await control('POST', '/objects/customers/update', { ids: ids.slice(0, 400), updatedAt: second });
    expect(await sync(sourceId, 'customers')).toMatchObject({
      mode: 'INCREMENTAL',
      status: 'SUCCEEDED',
      recordsRead: 400,
      recordsUpdated: 400,
      recordsInserted: 0,
    });
    await exactly(sourceId, 'customers');

    // 150 more changed at that same second after the run read it: the saved position's own second. They must
    // come with the next run; the 400 already read are read again within the lookback but change nothing.
    await control('POST', '/objects/customers/update', {
      ids: ids.slice(400, 550),
      set: { note: 'same second' },
      updatedAt: second,
    });
    expect(await sync(sourceId, 'customers')).toMatchObject({
      mode: 'INCREMENTAL',
      status: 'SUCCEEDED',
      recordsUpdated: 150,
      recordsInserted: 0,
    });
    await exactly(sourceId, 'customers');
    expect(await sync(sourceId, 'customers')).toMatchObject({ mode: 'INCREMENTAL', recordsUpdated: 0 });
  }, 400_000);
});
