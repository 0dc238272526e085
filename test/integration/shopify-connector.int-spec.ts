// The Shopify connector against the emulator, below the engine: full listings of customers, orders (with line
// items) and products (with variants) equal the shop, past the 25,000-object depth cap; checkConnection names a
// missing scope and says what a token without read_all_orders misses.
import type { Connector, ConnectorSettings } from '../../libs/connectors/src/core/connector';
import { createShopifyConnector } from '../../libs/connectors/src/shopify/shopify.connector';
import { ALL_SCOPES, DEFAULT_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { shopifyControl } from '../utils/shopify-emulator';

const SHOP = 'tributary-emu.myshopify.com';
const RECENT_ORDERS_TOKEN = 'shpat_recent_orders_0000';
const NO_PRODUCTS_TOKEN = 'shpat_no_products_00000';
const NO_BUDGET = { take: (): Promise<void> => Promise.resolve() };

async function readAll(connector: Connector, object: string) {
  const records = [];
  let cursor: string | null = null;
  do {
    const page = await connector.readPage(object, cursor);
    records.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return records;
}

describe('Shopify connector against the emulator', () => {
  let emulator: ShopifyEmulator;
  let settings: ConnectorSettings;

  beforeAll(async () => {
    emulator = await startShopifyEmulator({
      port: 0,
      customers: 26_000,
      orders: 400,
      products: 120,
      limits: false,
      shopDomain: SHOP,
      tokens: {
        [DEFAULT_TOKEN]: ALL_SCOPES,
        [RECENT_ORDERS_TOKEN]: ['read_customers', 'read_orders', 'read_products'],
        [NO_PRODUCTS_TOKEN]: ['read_customers', 'read_orders'],
      },
    });
    settings = {
      shopify: { apiBaseUrl: emulator.url, costRate: { perSecond: 100, burst: 2000 } },
    } as ConnectorSettings;
  });
  afterAll(() => emulator.close());

  it('lists every customer, order and product once, in ascending ids, with their children', async () => {
    const connector = createShopifyConnector(SHOP, DEFAULT_TOKEN, settings, NO_BUDGET);
    for (const object of ['customers', 'orders', 'products']) {
      const records = await readAll(connector, object);
      const { ids } = await shopifyControl<{ ids: string[] }>(emulator, 'GET', `/objects/${object}`);
      // Past 25,000 customers: the listing restarted above the last id instead of paging past the cap.
      expect(records.map((r) => r.payload.legacyResourceId)).toEqual(ids);
      expect(records[0].externalId).toMatch(
        new RegExp(
          `^gid://shopify/${object === 'customers' ? 'Customer' : object === 'orders' ? 'Order' : 'Product'}/\\d+$`,
        ),
      );
    }
    const [order] = await readAll(connector, 'orders');
    const stored = emulator.state.store.get('orders', Number(order.payload.legacyResourceId));
    expect((order.payload.lineItems as unknown[]).length).toBe(stored!.lineItems.length);
    expect(order.payload.lineItems).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: expect.stringMatching(/^gid:\/\/shopify\/LineItem\//) })]),
    );
    const [product] = await readAll(connector, 'products');
    expect((product.payload.variants as unknown[]).length).toBeGreaterThan(0);
  });

  it('names a missing scope, and says that without read_all_orders only 60 days of orders are visible', async () => {
    const full = createShopifyConnector(SHOP, DEFAULT_TOKEN, settings, NO_BUDGET);
    expect(await full.checkConnection()).toBeUndefined();
    const recent = createShopifyConnector(SHOP, RECENT_ORDERS_TOKEN, settings, NO_BUDGET);
    expect(await recent.checkConnection()).toMatch(/read_all_orders.*only the last 60 days of orders/);
    const noProducts = createShopifyConnector(SHOP, NO_PRODUCTS_TOKEN, settings, NO_BUDGET);
    await expect(noProducts.checkConnection()).rejects.toMatchObject({
      kind: 'permission',
      message: expect.stringMatching(/lacks the access scope read_products/),
    });
  });
});
