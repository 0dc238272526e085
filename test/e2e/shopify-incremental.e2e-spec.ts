import { ALL_SCOPES, DEFAULT_TOKEN } from '../../emulators/shopify/src';
import * as op from '../utils/operations';
import { shopifyControl } from '../utils/shopify-emulator';
import { liveRecords, servedWithin, syncAndWait } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

const SHOP = 'tributary-emu.myshopify.com';
const CUSTOMERS = 300;
// The shop's data was generated in the year before this date: nothing in it is within the lookback of now. The
// emulator's clock starts there and runs on in real time (full refreshes wait for bulk jobs on that clock).
const GENERATED_BEFORE = Date.UTC(2026, 5, 1);
const STARTED = Date.now();

// Issue 14 point 2: runs after the first read only what changed since, by `updated_at` (search syntax, sortKey
// UPDATED_AT), through the engine's incremental path, with exact counts.
describe('Incremental Shopify syncs by updated_at', () => {
  let stack: SyncStack;
  let sourceId: string;

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 10,
      shopify: {
        customers: CUSTOMERS,
        orders: 100,
        products: 20,
        limits: false,
        shopDomain: SHOP,
        clock: () => GENERATED_BEFORE + (Date.now() - STARTED),
        tokens: { [DEFAULT_TOKEN]: ALL_SCOPES },
      },
      // A day between full refreshes (the test default is every run), so runs after the first are incremental.
      apiEnv: {
        SYNC_FULL_REFRESH_MINUTES: '1440',
        SHOPIFY_COST_POINTS_PER_SECOND: '100000',
        SHOPIFY_COST_BUCKET_POINTS: '100000',
      },
    });
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'Shop, incremental', kind: 'SHOPIFY', environment: 'PRODUCTION' },
    });
    await stack.call(op.SET_CREDENTIALS, {
      input: { sourceId: createSource.id, shopify: { shopDomain: SHOP, accessToken: DEFAULT_TOKEN } },
    });
    await servedWithin(stack, createSource.id, true, 5000);
    sourceId = createSource.id as string;
  }, 120_000);
  afterAll(() => stack?.close());

  const sync = (object: string) => syncAndWait(stack, sourceId, 120_000, object);

  it('customers: a full refresh first, then only what changed, with exact counts', async () => {
    expect(await sync('customers')).toMatchObject({ mode: 'FULL_REFRESH', recordsInserted: CUSTOMERS });
    expect(await sync('customers')).toMatchObject({ mode: 'INCREMENTAL', recordsRead: 0, pages: 1 });

    const now = Date.now();
    const { ids } = await shopifyControl<{ ids: string[] }>(stack.shopify!, 'GET', '/objects/customers');
    await shopifyControl(stack.shopify!, 'POST', '/objects/customers/update', {
      ids: ids.slice(0, 2),
      set: { firstName: 'Renamed' },
      updatedAt: now,
    });
    const created = await shopifyControl<{ ids: string[] }>(stack.shopify!, 'POST', '/objects/customers/create', {
      count: 1,
      createdAt: now,
    });
    const run = await sync('customers');
    expect(run).toMatchObject({
      mode: 'INCREMENTAL',
      status: 'SUCCEEDED',
      recordsRead: 3,
      recordsInserted: 1,
      recordsUpdated: 2,
      recordsDeleted: 0,
    });
    const stored = await liveRecords(sourceId, 'customers');
    expect(stored.size).toBe(CUSTOMERS + 1);
    expect(stored.get(`gid://shopify/Customer/${ids[0]}`)?.firstName).toBe('Renamed');
    expect(stored.has(`gid://shopify/Customer/${created.ids[0]}`)).toBe(true);
    // Read again within the lookback: the same versions change nothing.
    expect(await sync('customers')).toMatchObject({ mode: 'INCREMENTAL', recordsInserted: 0, recordsUpdated: 0 });
  }, 300_000);

  it('orders: a changed order comes with all its line items', async () => {
    expect(await sync('orders')).toMatchObject({ mode: 'FULL_REFRESH', recordsInserted: 100 });
    const { ids } = await shopifyControl<{ ids: string[] }>(stack.shopify!, 'GET', '/objects/orders');
    await shopifyControl(stack.shopify!, 'POST', '/objects/orders/update', {
      ids: [ids[5]],
      set: { note: 'gift wrap' },
      updatedAt: Date.now(),
    });
    expect(await sync('orders')).toMatchObject({ mode: 'INCREMENTAL', recordsRead: 1, recordsUpdated: 1 });
    const order = (await liveRecords(sourceId, 'orders')).get(`gid://shopify/Order/${ids[5]}`)!;
    expect(order.note).toBe('gift wrap');
    const truth = stack.shopify!.state.store.get('orders', Number(ids[5]))!;
    expect((order.lineItems as unknown[]).length).toBe(truth.lineItems.length);
  }, 300_000);
});
