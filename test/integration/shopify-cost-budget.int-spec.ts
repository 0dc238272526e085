// The Shopify client with the shop's budget in Postgres (RequestBudgets, as the engine binds it) against the
// emulator at Shopify's Standard bucket: what a query does not use goes back to the budget, and a query Shopify's
// last answer says it would refuse (another app spent the shop's points) waits instead of being THROTTLED.
import type { ConnectorSettings, RequestBudget } from '@app/connectors';
import { RequestBudgets } from '@app/sync';
import type { DataSource } from 'typeorm';
import { createShopifyRequest } from '../../libs/connectors/src/shopify/shopify.client';
import { ALL_SCOPES, DEFAULT_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { migrateFresh, queryTestDb, requiredEnv, testDataSource, truncateAll } from '../utils/database';
import { shopifyControl } from '../utils/shopify-emulator';

const SHOP = 'tributary-emu.myshopify.com';
const STANDARD = { maximumAvailable: 2000, restoreRate: 100 };
const RATE = { perSecond: 100, burst: 2000 }; // the engine's defaults, the emulator's bucket
// 30 customers: asking for 250 requests 252 points and is charged 32.
const BIG = '{ customers(first: 250) { nodes { id email } } }';
const SMALL = '{ customers(first: 10) { nodes { id } } }';

describe('Shopify cost budget in Postgres against the emulator’s bucket', () => {
  let emulator: ShopifyEmulator;
  let db: DataSource;
  let settings: ConnectorSettings;
  let throttled: number;

  /** The shop's budget as UpstreamBudget binds it: Postgres' reservation, waited out here with a timer. */
  function postgresBudget(account: string): RequestBudget {
    const budgets = new RequestBudgets(db);
    const buckets = [{ account, rate: RATE }];
    return {
      take: async (_kind, cost) => {
        const ms = await budgets.reserveAll(buckets, cost);
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
      settle: (_kind, settlement) => budgets.settle(buckets, settlement),
    };
  }

  async function pointsHeld(account: string): Promise<number> {
    const [row] = await queryTestDb<{ ahead_ms: string }>(
      'SELECT extract(epoch FROM full_at - clock_timestamp()) * 1000 AS ahead_ms FROM request_budgets WHERE account = $1',
      [account],
    );
    return RATE.burst - Math.max(0, Number(row.ahead_ms)) / (1000 / RATE.perSecond);
  }

  beforeAll(async () => {
    const url = requiredEnv('TEST_DATABASE_URL');
    await migrateFresh(url);
    await truncateAll(url);
    db = await testDataSource(url, 'shopify-cost').initialize();
    emulator = await startShopifyEmulator({
      port: 0,
      customers: 30,
      orders: 5,
      products: 5,
      limits: STANDARD,
      shopDomain: SHOP,
      tokens: { [DEFAULT_TOKEN]: ALL_SCOPES },
    });
    settings = { shopify: { apiBaseUrl: emulator.url, costRate: RATE } } as ConnectorSettings;
    // Counts the emulator's refusals for want of points (its THROTTLED answers), leaving its bucket as it is.
    const bucket = emulator.state.bucket;
    const take = bucket.take.bind(bucket);
    bucket.take = (cost: number) => take(cost) || (throttled++, false);
  });
  beforeEach(async () => {
    throttled = 0;
    await shopifyControl(emulator, 'POST', '/limits', STANDARD);
  });
  afterAll(async () => {
    await emulator?.close();
    await db?.destroy();
  });

  it('gives back what each query did not use: the budget holds what Shopify holds', async () => {
    const request = createShopifyRequest(SHOP, DEFAULT_TOKEN, settings, postgresBudget('test:shop_refund'));
    for (let i = 0; i < 5; i++) {
      await request(BIG);
    }
    // Five queries requesting 252 were charged 32 each: 160 points gone (plus what refilled since), not 1,260.
    const held = await pointsHeld('test:shop_refund');
    expect(held).toBeGreaterThan(2000 - 5 * 32 - 5);
    const { currentlyAvailable } = await shopifyControl<{ currentlyAvailable: number }>(emulator, 'GET', '/limits');
    expect(Math.abs(held - currentlyAvailable)).toBeLessThan(40);
    expect(throttled).toBe(0);
  });

  it('waits when Shopify reports fewer points than the budget holds, instead of being THROTTLED', async () => {
    const request = createShopifyRequest(SHOP, DEFAULT_TOKEN, settings, postgresBudget('test:shop_shared'));
    await request(BIG); // its cost is known from now on
    emulator.state.bucket.take(1900); // another app on the shop spends 1,900 points
    await request(SMALL); // answered: Shopify holds about 50 points
    const started = Date.now();
    await request(BIG); // requests 252: our budget holds ~1,950, Shopify ~50
    expect(throttled).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(1500); // about (252 − 50) / 100 s, waited in our budget
  });
});
