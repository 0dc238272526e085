import { ALL_SCOPES, DEFAULT_TOKEN } from '../../emulators/shopify/src';
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
import { liveRecords, syncAndWait } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

const RECENT_ORDERS = 'shpat_recent_orders_0000';

// Issue 14: customers, orders with line items and products with variants, 5,000 records in all, read by full
// refreshes through bulk operations (one job per run, its JSONL in pages) with @shopify/admin-api-client against
// the emulator, the shop's cost budget and its bulk slots.
describe('Shopify objects, end to end', () => {
  let stack: SyncStack;
  let sourceId: string;

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 10,
      shopify: {
        customers: 2_500,
        orders: 1_500,
        products: 1_000,
        limits: false,
        shopDomain: SHOP,
        tokens: { [DEFAULT_TOKEN]: ALL_SCOPES, [RECENT_ORDERS]: ['read_customers', 'read_orders', 'read_products'] },
      },
      // The emulator's bucket is off here (its throttling has a test below): pace far above it.
      apiEnv: { SHOPIFY_COST_POINTS_PER_SECOND: '100000', SHOPIFY_COST_BUCKET_POINTS: '100000' },
    });
    sourceId = await createShopifySource(stack, 'Shop', DEFAULT_TOKEN);
  }, 120_000);
  afterAll(() => stack?.close());

  it.each(SHOPIFY_OBJECTS)(
    '%s: a first sync through one bulk job equals the emulator, and a re-run changes nothing',
    async (object) => {
      const expected = shopifyTruth(stack, object);
      const first = await syncAndWait(stack, sourceId, 240_000, object);
      expect(first).toMatchObject({
        status: 'SUCCEEDED',
        recordsInserted: expected.size,
        recordsUpdated: 0,
        recordsDeleted: 0,
        retries: 0,
        error: null,
      });
      expect(sorted(storedView(await liveRecords(sourceId, object)))).toEqual(sorted(expected));
      expect(bulkJobs(stack, object)).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
      const second = await syncAndWait(stack, sourceId, 240_000, object);
      expect(second).toMatchObject({
        status: 'SUCCEEDED',
        recordsInserted: 0,
        recordsUpdated: 0,
        recordsUnchanged: expected.size,
        recordsDeleted: 0,
      });
      expect(bulkJobs(stack, object).map((job) => job.status)).toEqual(['COMPLETED', 'COMPLETED']);
      expect(await heldSlots()).toEqual([]);
    },
    600_000,
  );

  it('turns records deleted between runs into deletes, and updates into updates', async () => {
    await syncAndWait(stack, sourceId, 240_000, 'customers');
    const ids = [...shopifyTruth(stack, 'customers').keys()].map((gid) => gid.split('/').pop()!);
    await shopifyControl(stack.shopify!, 'POST', '/objects/customers/delete', { ids: ids.slice(0, 3) });
    await shopifyControl(stack.shopify!, 'POST', '/objects/customers/update', {
      ids: [ids[3]],
      set: { firstName: 'Renamed' },
    });
    const run = await syncAndWait(stack, sourceId, 240_000, 'customers');
    expect(run).toMatchObject({ status: 'SUCCEEDED', recordsDeleted: 3, recordsUpdated: 1, recordsInserted: 0 });
    const stored = await liveRecords(sourceId, 'customers');
    expect([...stored.keys()].sort()).toEqual([...shopifyTruth(stack, 'customers').keys()].sort());
    expect(stored.get(`gid://shopify/Customer/${ids[3]}`)?.firstName).toBe('Renamed');
  }, 600_000);

  it('fails fast on a bad token and says what to fix, without the token', async () => {
    const badId = await createShopifySource(stack, 'Shop bad token', 'shpat_not_a_valid_token');
    const run = await syncAndWait(stack, badId, 60_000, 'customers');
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/Shopify refused the access token for tributary-emu\.myshopify\.com \(401\)/);
    expect(run.error).not.toContain('not_a_valid_token');
    expect(run.retries).toBe(0);
    const check = (await stack.call(op.CHECK_CONNECTION, { id: badId })).checkSourceConnection;
    expect(check).toMatchObject({ ok: false, message: expect.stringMatching(/refused the access token/) });
  }, 120_000);

  it('checkSourceConnection says that without read_all_orders only 60 days of orders are visible', async () => {
    const recentId = await createShopifySource(stack, 'Shop recent orders', RECENT_ORDERS);
    const check = (await stack.call(op.CHECK_CONNECTION, { id: recentId })).checkSourceConnection;
    expect(check).toMatchObject({ ok: true, message: expect.stringMatching(/only the last 60 days of orders/) });
    const ok = (await stack.call(op.CHECK_CONNECTION, { id: sourceId })).checkSourceConnection;
    expect(ok).toEqual(expect.objectContaining({ ok: true, message: 'Connected: the credentials work' }));
  }, 120_000);

  it('THROTTLED answers and 5xx mid-run: the run still ends exact', async () => {
    const flakyId = await createShopifySource(stack, 'Shop flaky', DEFAULT_TOKEN);
    const expected = shopifyTruth(stack, 'orders');
    await shopifyControl(stack.shopify!, 'POST', '/faults', { throttled: true, count: 4 });
    await shopifyControl(stack.shopify!, 'POST', '/faults', { status: 502, count: 2 });
    const run = await syncAndWait(stack, flakyId, 240_000, 'orders');
    await shopifyControl(stack.shopify!, 'DELETE', '/faults');
    expect(run).toMatchObject({ status: 'SUCCEEDED', recordsInserted: expected.size, recordsDeleted: 0 });
    expect(run.retries).toBeGreaterThan(0); // the 502s, retried by Temporal; THROTTLED waited out in the client
    expect(sorted(storedView(await liveRecords(flakyId, 'orders')))).toEqual(sorted(expected));
  }, 300_000);
});
