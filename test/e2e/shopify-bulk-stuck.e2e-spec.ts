import { ALL_SCOPES, DEFAULT_TOKEN } from '../../emulators/shopify/src';
import { decodeBulkCursor } from '../../libs/connectors/src/shopify/shopify.bulk-cursor';
import { queryTestDb } from '../utils/database';
import { shopifyControl } from '../utils/shopify-emulator';
import {
  SHOP,
  bulkJobs,
  createShopifySource,
  heldSlots,
  shopifyTruth,
  sorted,
  storedView,
} from '../utils/shopify-sync';
import { liveRecords, syncAndWait } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

const ORDERS = 300;
const GENERATED_BEFORE = Date.UTC(2026, 5, 1);
const STARTED = Date.now();

const deletedRows = async (sourceId: string) => {
  const [row] = await queryTestDb<{ n: string }>(
    `SELECT count(*) AS n FROM records WHERE source_id = $1 AND object = 'orders' AND deleted_at IS NOT NULL`,
    [sourceId],
  );
  return Number(row.n);
};

// Issue 14 point 2 (durability): bulk jobs failing 4 times in a row fail the run, and its saved cursor still names
// the last failed job. The next run continues that cursor with a restart budget of its own, so the object's full
// refresh is not blocked for good by a Shopify outage that has passed.
describe('Shopify bulk full refresh after a run that ran out of job restarts', () => {
  let stack: SyncStack;
  const control = <T = Record<string, unknown>>(method: string, path: string, body?: object) =>
    shopifyControl<T>(stack.shopify!, method, path, body);

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 10,
      shopify: {
        customers: 10,
        orders: ORDERS,
        products: 10,
        limits: false,
        shopDomain: SHOP,
        // Real time from a pinned start: short jobs end on their own.
        clock: () => GENERATED_BEFORE + (Date.now() - STARTED),
        bulk: { startDelayMs: 50, durationMs: 250 },
        tokens: { [DEFAULT_TOKEN]: ALL_SCOPES },
      },
      apiEnv: {
        SYNC_FULL_REFRESH_MINUTES: '1440',
        SHOPIFY_COST_POINTS_PER_SECOND: '100000',
        SHOPIFY_COST_BUCKET_POINTS: '100000',
      },
    });
  }, 120_000);
  afterAll(() => stack?.close());

  it('4 failed jobs fail the run at once; the next sync starts the job over and ends exact', async () => {
    const sourceId = await createShopifySource(stack, 'Shop, failing jobs', DEFAULT_TOKEN);
    expect(await syncAndWait(stack, sourceId, 60_000, 'orders')).toMatchObject({ status: 'SUCCEEDED' });

    // The next full refresh must mark 5 orders deleted, but only after a job COMPLETED.
    const { ids } = await control<{ ids: string[] }>('GET', '/objects/orders');
    await control('POST', '/objects/orders/delete', { ids: ids.slice(0, 5) });
    await queryTestDb(
      `UPDATE sync_runs SET finished_at = finished_at - interval '2 days' WHERE source_id = $1 AND object = 'orders'`,
      [sourceId],
    );
    await control('POST', '/bulk/faults', { errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 100, count: 4 });
    const mark = bulkJobs(stack, 'orders').length;
    const failed = await syncAndWait(stack, sourceId, 60_000, 'orders');
    const failedJobs = bulkJobs(stack, 'orders').slice(mark);
    expect(failedJobs.map((job) => job.status)).toEqual(['FAILED', 'FAILED', 'FAILED', 'FAILED']);
    // No engine retry: each would only find the same failed job again.
    expect(failed).toMatchObject({ mode: 'FULL_REFRESH', status: 'FAILED', recordsDeleted: 0, retries: 0 });
    expect(failed.error).toContain(
      `Shopify bulk job ${failedJobs[3].id} for orders ended FAILED (INTERNAL_SERVER_ERROR) after 3 restarts`,
    );
    expect(await deletedRows(sourceId)).toBe(0);
    const [state] = await queryTestDb<{ cursor: string }>(
      `SELECT cursor FROM sync_state WHERE source_id = $1 AND object = 'orders'`,
      [sourceId],
    );
    expect(decodeBulkCursor(state.cursor, 'orders')).toMatchObject({ operation: failedJobs[3].id, restarts: 3 });

    // Shopify recovered (the 4 faults are spent): the next sync continues the failed run and completes.
    const next = await syncAndWait(stack, sourceId, 60_000, 'orders');
    expect(next).toMatchObject({
      mode: 'FULL_REFRESH',
      reason: `Continues run ${failed.id}, which ended before completing`,
      status: 'SUCCEEDED',
      recordsRead: ORDERS - 5,
      recordsInserted: 0,
      recordsDeleted: 5,
    });
    expect(bulkJobs(stack, 'orders').slice(mark + 4)).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
    expect(sorted(storedView(await liveRecords(sourceId, 'orders')))).toEqual(sorted(shopifyTruth(stack, 'orders')));
    expect(await deletedRows(sourceId)).toBe(5);
    expect(await heldSlots()).toEqual([]);
  }, 240_000);
});
