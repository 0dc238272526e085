import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_SCOPES, DEFAULT_TOKEN } from '../../emulators/shopify/src';
import { BULK_DEFAULTS } from '../../libs/connectors/src/shopify/shopify.bulk';
import { decodeBulkCursor } from '../../libs/connectors/src/shopify/shopify.bulk-cursor';
import { ensureTemporal } from '../../scripts/lib/ensure-temporal';
import { freePort } from '../../scripts/lib/free-port';
import {
  startTemporalDevServer,
  type TemporalDevServer,
  type TemporalDevServerOptions,
} from '../../scripts/lib/temporal-dev-server';
import { queryTestDb } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';
import { holdNextCommit, runNode } from '../utils/run-control';
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

// Issue 14 point 6: Shopify gets the rest of Stripe's reliability set (sync-reliability, cloud-sync-durability,
// hubspot-incremental-durability): a Temporal restart mid full refresh, kill -9 mid incremental, cancel mid full
// refresh. The bulk job's own kill -9 case is shopify-bulk-durability, its faults shopify-bulk.
const ORDERS = 3_000;
const CUSTOMERS = 5_000; // 3 bulk pages of 2,000 (BULK_DEFAULTS.pageSize)
const CHANGED = 2_000; // orders updated after the first sync: ~134 change-log pages of 15
const CREATED = 500;
const GENERATED_BEFORE = Date.UTC(2026, 5, 1);
// No cost throttling here: the pace is the emulator's latency, not Shopify's bucket.
const UNTHROTTLED = { SHOPIFY_COST_POINTS_PER_SECOND: '100000', SHOPIFY_COST_BUCKET_POINTS: '100000' };

async function recordCount(sourceId: string, object: string): Promise<number> {
  const rows = await queryTestDb<{ n: string }>(
    'SELECT count(*) AS n FROM records WHERE source_id = $1 AND object = $2',
    [sourceId, object],
  );
  return Number(rows[0].n);
}

/** Every record of `object` stored once, as the emulator holds it, and no other. */
async function expectExact(stack: SyncStack, sourceId: string, object: 'orders' | 'customers'): Promise<void> {
  const truth = shopifyTruth(stack, object);
  expect(await recordCount(sourceId, object)).toBe(truth.size);
  expect(sorted(storedView(await liveRecords(sourceId, object)))).toEqual(sorted(truth));
}

const exactFullRefresh = (n: number) => ({
  mode: 'FULL_REFRESH',
  status: 'SUCCEEDED',
  recordsRead: n,
  recordsInserted: n,
  recordsUpdated: 0,
  recordsUnchanged: 0,
  recordsDeleted: 0,
});

describe('Shopify sync reliability', () => {
  describe('the Temporal dev server restarts mid full refresh', () => {
    // Its own server with a SQLite file (the shared one is in memory and must not restart), as sync-reliability.
    let dir: string;
    let serverOptions: TemporalDevServerOptions;
    let temporal: TemporalDevServer | undefined;
    let stack: SyncStack;

    beforeAll(async () => {
      dir = mkdtempSync(join(process.env.TEST_TMP_DIR ?? tmpdir(), 'temporal-restart-'));
      serverOptions = {
        binary: await ensureTemporal(() => undefined),
        port: await freePort(),
        headless: true,
        dbFile: join(dir, 'temporal.db'),
        log: () => undefined,
      };
      temporal = await startTemporalDevServer(serverOptions);
      stack = await startSyncStack({
        customers: 10,
        shopify: {
          customers: 10,
          orders: ORDERS,
          products: 10,
          limits: false,
          shopDomain: SHOP,
          // The clock stands still: the bulk job runs until the test moves it, so the restart lands mid-run.
          clock: () => GENERATED_BEFORE,
          tokens: { [DEFAULT_TOKEN]: ALL_SCOPES },
        },
        apiEnv: { TEMPORAL_ADDRESS: temporal.address, ...UNTHROTTLED },
      });
    }, 120_000);
    afterAll(async () => {
      await stack?.close();
      await temporal?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the run goes on after the restart and ends exact: each order once, counts right', async () => {
      const sourceId = await createShopifySource(stack, 'Shop, Temporal restarted', DEFAULT_TOKEN);
      const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'orders' });
      const runId = triggerSourceSync.runId as string;
      const committed = await eventually(async () => {
        const [state] = await queryTestDb<{ cursor: string | null }>(
          `SELECT cursor FROM sync_state WHERE source_id = $1 AND object = 'orders'`,
          [sourceId],
        );
        return state?.cursor ? decodeBulkCursor(state.cursor, 'orders') : undefined;
      }, 'the bulk job committed with the cursor');
      await shopifyControl(stack.shopify!, 'POST', '/clock', { advanceMs: 100 });

      await temporal!.stop();
      temporal = undefined;
      expect(await recordCount(sourceId, 'orders')).toBe(0);
      // Down for longer than one call's wait on the job: the batch hands back the job's cursor (committed with
      // Postgres alone) while the server is down, so the run goes on from that cursor after the restart.
      await new Promise((r) => setTimeout(r, BULK_DEFAULTS.maxWaitMs + 2_000));
      temporal = await startTemporalDevServer(serverOptions); // the same port, the same SQLite file
      // A trigger reaches the restarted server and joins the run it kept (USE_EXISTING).
      const again = await eventually(
        async () => {
          const res = await gql(stack.api.url, op.TRIGGER_SYNC, { sourceId, object: 'orders' }, stack.token);
          return res.errors ? undefined : (res.data as { triggerSourceSync: { runId: string } }).triggerSourceSync;
        },
        'a trigger through the restarted server',
        30_000,
        250,
      );
      expect(again.runId).toBe(runId);

      await shopifyControl(stack.shopify!, 'POST', '/clock', { advanceMs: 60_000 });
      const run = await waitForRun(stack, sourceId, runId, 120_000);
      expect(run).toMatchObject(exactFullRefresh(ORDERS));
      // The job started before the restart is the one read: no second job at Shopify, its slot given back.
      expect(bulkJobs(stack, 'orders')).toEqual([{ id: committed.operation, status: 'COMPLETED', errorCode: null }]);
      expect(await heldSlots()).toEqual([]);
      await expectExact(stack, sourceId, 'orders');
    }, 180_000);
  });

  describe('on the shared Temporal server, the worker a separate process', () => {
    let stack: SyncStack;
    let worker: WorkerProcess | undefined;
    const started = Date.now();
    const spawn = () => spawnWorker(stack.api.config, { SHOPIFY_API_BASE_URL: stack.shopify!.url, ...UNTHROTTLED });

    beforeAll(async () => {
      stack = await startSyncStack({
        customers: 10,
        inProcessWorker: false,
        shopify: {
          customers: CUSTOMERS,
          orders: ORDERS,
          products: 10,
          limits: false,
          shopDomain: SHOP,
          // Runs in real time from the day the data was generated before: bulk jobs end within a second.
          clock: () => GENERATED_BEFORE + (Date.now() - started),
          tokens: { [DEFAULT_TOKEN]: ALL_SCOPES },
        },
        // A day between full refreshes (the test default is every run), so the second run is incremental.
        apiEnv: { SYNC_FULL_REFRESH_MINUTES: '1440', ...UNTHROTTLED },
      });
    }, 120_000);
    afterAll(async () => {
      worker?.child.kill('SIGTERM');
      await worker?.exited;
      await stack?.close();
    });

    it('survives kill -9 of the worker mid-incremental: every change applied once', async () => {
      worker = spawn();
      await worker.ready();
      const sourceId = await createShopifySource(stack, 'Shop, incremental durable', DEFAULT_TOKEN);
      const { triggerSourceSync: first } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'orders' });
      expect(await waitForRun(stack, sourceId, first.runId as string, 120_000)).toMatchObject(exactFullRefresh(ORDERS));

      // Changes over several seconds, the lowest ids changed last: a position moved past a page not yet applied
      // would lose the changes that sort after it, a page applied twice would count them twice.
      const { ids } = await shopifyControl<{ ids: string[] }>(stack.shopify!, 'GET', '/objects/orders');
      const now = stack.shopify!.state.clock.nowMs() + 1_000;
      for (let batch = 0; batch < 4; batch++) {
        const slice = ids.slice(CHANGED - (batch + 1) * (CHANGED / 4), CHANGED - batch * (CHANGED / 4));
        await shopifyControl(stack.shopify!, 'POST', '/objects/orders/update', {
          ids: slice,
          set: { note: `change ${batch}` },
          updatedAt: now + batch * 1_000,
        });
      }
      await shopifyControl(stack.shopify!, 'POST', '/objects/orders/create', { count: CREATED, createdAt: now });
      // Slower answers, so the run is still reading when the test interferes.
      await shopifyControl(stack.shopify!, 'POST', '/latency', { ms: 40 });
      const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'orders' });
      const runId = triggerSourceSync.runId as string;
      await eventually(
        async () => ((await runNode(stack, sourceId, runId))?.pages ?? 0) >= 10 || undefined,
        '10 committed pages',
      );
      // Kill the worker between reading a page and committing it: that page is surely in flight.
      const held = await holdNextCommit(sourceId);
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toBeNull();
      await held.release();
      const atKill = await runNode(stack, sourceId, runId);
      expect(atKill).toMatchObject({ status: 'RUNNING', mode: 'INCREMENTAL' });
      expect(atKill!.recordsRead).toBeLessThan(CHANGED);

      worker = spawn();
      const run = await waitForRun(stack, sourceId, runId, 120_000);
      await shopifyControl(stack.shopify!, 'POST', '/latency', { ms: 0 });
      expect(run).toMatchObject({
        mode: 'INCREMENTAL',
        status: 'SUCCEEDED',
        recordsRead: CHANGED + CREATED,
        recordsInserted: CREATED,
        recordsUpdated: CHANGED,
        recordsUnchanged: 0,
        recordsDeleted: 0,
        retries: 1,
      });
      await expectExact(stack, sourceId, 'orders');
    }, 240_000);

    it('cancels mid full refresh: counts match the rows written, and the next run completes the set', async () => {
      worker ??= spawn();
      await worker.ready();
      const sourceId = await createShopifySource(stack, 'Shop, cancelled', DEFAULT_TOKEN);
      // Each bulk page asks Shopify for the job first: 2 s per page leaves time to hold the second one.
      await shopifyControl(stack.shopify!, 'POST', '/latency', { ms: 2_000 });
      const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
      const runId = triggerSourceSync.runId as string;
      await eventually(
        async () => (await recordCount(sourceId, 'customers')) > 0 || undefined,
        'the first bulk page written',
        60_000,
        50,
      );
      // Cancel while the next page waits to commit: the cancel lands mid-run, between pages of the job's file.
      const held = await holdNextCommit(sourceId);
      await stack.call(op.CANCEL_SYNC, { sourceId, object: 'customers' });
      await held.release();
      const cancelled = await waitForRun(stack, sourceId, runId);
      await shopifyControl(stack.shopify!, 'POST', '/latency', { ms: 0 });
      expect(cancelled).toMatchObject({ status: 'CANCELLED', mode: 'FULL_REFRESH' });
      expect(cancelled.recordsInserted).toBeGreaterThan(0);
      expect(cancelled.recordsInserted).toBeLessThan(CUSTOMERS);
      expect(cancelled.recordsRead).toBe(cancelled.recordsInserted);
      expect(await recordCount(sourceId, 'customers')).toBe(cancelled.recordsInserted);
      expect(await heldSlots()).toEqual([]);

      const { triggerSourceSync: next } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
      const completed = await waitForRun(stack, sourceId, next.runId as string, 120_000);
      expect(completed).toMatchObject({ status: 'SUCCEEDED', recordsUpdated: 0, recordsDeleted: 0 });
      // The next run goes on from the cancelled run's last committed page: nothing is read twice.
      expect(completed.recordsInserted + cancelled.recordsInserted).toBe(CUSTOMERS);
      expect(completed.recordsRead + cancelled.recordsRead).toBe(CUSTOMERS);
      await expectExact(stack, sourceId, 'customers');
    }, 180_000);
  });
});
