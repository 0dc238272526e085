import { ALL_SCOPES, DEFAULT_TOKEN } from '../../emulators/shopify/src';
import { decodeBulkCursor } from '../../libs/connectors/src/shopify/shopify.bulk-cursor';
import { queryTestDb } from '../utils/database';
import * as op from '../utils/operations';
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
import { liveRecords, waitForRun } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

const ORDERS = 3_000;
const PINNED_AT = Date.UTC(2026, 5, 1);

// Issue 14 point 6: kill -9 of the worker while a full refresh's bulk job runs. The job's id was committed with the
// run's cursor before any wait, so the retried batch on a new worker polls that same job (no second job at
// Shopify, its bulk slot renewed, not leaked) and the run ends with every order exactly once.
describe('Shopify bulk full refresh durability', () => {
  let stack: SyncStack;
  let worker: WorkerProcess | undefined;
  const spawn = () =>
    spawnWorker(stack.api.config, {
      SHOPIFY_API_BASE_URL: stack.shopify!.url,
      SHOPIFY_COST_POINTS_PER_SECOND: '100000',
      SHOPIFY_COST_BUCKET_POINTS: '100000',
    });

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 10,
      inProcessWorker: false,
      shopify: {
        customers: 50,
        orders: ORDERS,
        products: 50,
        limits: false,
        shopDomain: SHOP,
        clock: () => PINNED_AT,
        tokens: { [DEFAULT_TOKEN]: ALL_SCOPES },
      },
      apiEnv: { SHOPIFY_COST_POINTS_PER_SECOND: '100000', SHOPIFY_COST_BUCKET_POINTS: '100000' },
    });
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stack?.close();
  });

  it('survives kill -9 while its bulk job runs: the resumed run reads the SAME job, rows exact', async () => {
    worker = spawn();
    await worker.ready();
    const sourceId = await createShopifySource(stack, 'Shop, durable', DEFAULT_TOKEN);
    // The clock stands still (the `clock` option): the job stays RUNNING until the test moves it.
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'orders' });
    const committed = await eventually(async () => {
      const [state] = await queryTestDb<{ cursor: string | null }>(
        `SELECT cursor FROM sync_state WHERE source_id = $1 AND object = 'orders'`,
        [sourceId],
      );
      return state?.cursor ? decodeBulkCursor(state.cursor, 'orders') : undefined;
    }, 'the bulk job committed with the cursor');
    // Past the job's start delay (not its duration): it runs at Shopify while the worker dies.
    await shopifyControl(stack.shopify!, 'POST', '/clock', { advanceMs: 100 });
    await eventually(
      () => Promise.resolve(bulkJobs(stack, 'orders')[0]?.status === 'RUNNING' || undefined),
      'the job running',
    );
    expect(bulkJobs(stack, 'orders')).toEqual([{ id: committed.operation, status: 'RUNNING', errorCode: null }]);
    expect(await heldSlots()).toEqual([`shopify:${SHOP}`]);

    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBeNull();
    worker = spawn();
    await worker.ready();
    await shopifyControl(stack.shopify!, 'POST', '/clock', { advanceMs: 60_000 });
    const run = await waitForRun(stack, sourceId, triggerSourceSync.runId as string, 240_000);
    expect(run).toMatchObject({
      mode: 'FULL_REFRESH',
      status: 'SUCCEEDED',
      recordsRead: ORDERS,
      recordsInserted: ORDERS,
      recordsUpdated: 0,
      recordsUnchanged: 0,
      recordsDeleted: 0,
    });
    // One job in all: the one the killed worker started.
    expect(bulkJobs(stack, 'orders')).toEqual([{ id: committed.operation, status: 'COMPLETED', errorCode: null }]);
    expect(sorted(storedView(await liveRecords(sourceId, 'orders')))).toEqual(sorted(shopifyTruth(stack, 'orders')));
    expect(await heldSlots()).toEqual([]);
  }, 400_000);
});
