import { ALL_SCOPES, DEFAULT_TOKEN } from '../../emulators/shopify/src';
import { queryTestDb } from '../utils/database';
import * as op from '../utils/operations';
import { shopifyControl } from '../utils/shopify-emulator';
import { liveRecords, servedWithin, syncAndWait } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

const SHOP = 'tributary-emu.myshopify.com';
const FIRST_ORDERS = 60;
const NEW_ORDERS = 300; // 20 pages of 15
// Shopify's Standard bucket, the emulator's and the engine's defaults (SHOPIFY_COST_*).
const STANDARD = { maximumAvailable: 2000, restoreRate: 100 };
const GENERATED_BEFORE = Date.UTC(2026, 5, 1);
const STARTED = Date.now();
// Workflow, activities and Postgres around the pacing itself, on a shared 2-core machine.
const OVERHEAD_S = 25;

/** What the emulator's bucket saw: points required up front, points given back, refusals (THROTTLED). */
interface Ledger {
  requested: number;
  refunded: number;
  throttled: number;
  largest: number;
}

// Issue 14 point 3: the shop's budget takes each query's requested cost and gives back what Shopify did not
// charge, so a throttled incremental run is paced by the actual cost, as Shopify paces it, and never THROTTLED.
describe('Shopify incremental sync at the Standard cost bucket', () => {
  let stack: SyncStack;
  let sourceId: string;
  const ledger: Ledger = { requested: 0, refunded: 0, throttled: 0, largest: 0 };

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 10,
      shopify: {
        customers: 20,
        orders: FIRST_ORDERS,
        products: 20,
        limits: STANDARD,
        shopDomain: SHOP,
        // Runs on in real time: the first sync is a full refresh, which waits for a bulk job on this clock.
        clock: () => GENERATED_BEFORE + (Date.now() - STARTED),
        tokens: { [DEFAULT_TOKEN]: ALL_SCOPES },
      },
      apiEnv: { SYNC_FULL_REFRESH_MINUTES: '1440' }, // the shop budget at its defaults: 100 points/s, 2,000
    });
    const bucket = stack.shopify!.state.bucket;
    const [take, refund] = [bucket.take.bind(bucket), bucket.refund.bind(bucket)];
    bucket.take = (cost: number) => {
      const ok = take(cost);
      ledger[ok ? 'requested' : 'throttled'] += ok ? cost : 1;
      ledger.largest = Math.max(ledger.largest, cost);
      return ok;
    };
    bucket.refund = (points: number) => {
      ledger.refunded += points;
      refund(points);
    };
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'Shop, throttled', kind: 'SHOPIFY', environment: 'PRODUCTION' },
    });
    await stack.call(op.SET_CREDENTIALS, {
      input: { sourceId: createSource.id, shopify: { shopDomain: SHOP, accessToken: DEFAULT_TOKEN } },
    });
    await servedWithin(stack, createSource.id, true, 5000);
    sourceId = createSource.id as string;
  }, 120_000);
  afterAll(() => stack?.close());

  it('pages at the actual cost Shopify charges, never THROTTLED', async () => {
    const sync = () => syncAndWait(stack, sourceId, 240_000, 'orders');
    expect(await sync()).toMatchObject({ mode: 'FULL_REFRESH', recordsInserted: FIRST_ORDERS });
    await shopifyControl(stack.shopify!, 'POST', '/objects/orders/create', {
      count: NEW_ORDERS,
      createdAt: Date.now(),
    });
    // Both buckets full: Shopify's reset, ours emptied of history.
    await shopifyControl(stack.shopify!, 'POST', '/limits', STANDARD);
    await queryTestDb('DELETE FROM request_budgets');
    Object.assign(ledger, { requested: 0, refunded: 0, throttled: 0, largest: 0 });

    const started = Date.now();
    const run = await sync();
    const seconds = (Date.now() - started) / 1000;
    expect(run).toMatchObject({ mode: 'INCREMENTAL', status: 'SUCCEEDED', recordsInserted: NEW_ORDERS });
    expect((await liveRecords(sourceId, 'orders')).size).toBe(FIRST_ORDERS + NEW_ORDERS);
    expect(ledger.throttled).toBe(0);

    // Shopify lets the run through once its bucket has restored what was charged beyond the 2,000 it starts with
    // (and one query's requested cost must be there before it goes): the run takes about that, not more.
    const charged = ledger.requested - ledger.refunded;
    const shopifyAllows = (charged + ledger.largest - STANDARD.maximumAvailable) / STANDARD.restoreRate;
    // Taking the requested cost and giving none back, the same run would have waited this long.
    const requestedPacing = (ledger.requested - STANDARD.maximumAvailable) / STANDARD.restoreRate;
    expect(charged).toBeLessThan(ledger.requested / 2); // orders have 1–4 line items, the query asks for 10
    expect(seconds).toBeLessThan(shopifyAllows + OVERHEAD_S);
    expect(seconds).toBeLessThan(requestedPacing);
    console.log(
      `throttled incremental: ${seconds.toFixed(1)} s; Shopify allows ${shopifyAllows.toFixed(1)} s ` +
        `(${charged} points charged of ${ledger.requested} requested); requested-cost pacing ${requestedPacing.toFixed(1)} s`,
    );
  }, 300_000);
});
