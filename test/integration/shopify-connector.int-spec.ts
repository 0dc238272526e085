// The Shopify connector against the emulator, below the engine: full refreshes of customers, orders (with line
// items) and products (with variants) read through bulk jobs equal the shop, record for record equal to what the
// change log reads; changes are read past the 25,000-object depth cap; checkConnection names a missing scope and
// says what a token without read_all_orders misses.
import type { ChangeVersion, Connector, ConnectorSettings } from '../../libs/connectors/src/core/connector';
import { LOOKBACK_SECONDS } from '../../libs/connectors/src/shopify/shopify.change-log';
import { createShopifyConnector } from '../../libs/connectors/src/shopify/shopify.connector';
import { ALL_SCOPES, DEFAULT_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { shopifyControl } from '../utils/shopify-emulator';

const SHOP = 'tributary-emu.myshopify.com';
const RECENT_ORDERS_TOKEN = 'shpat_recent_orders_0000';
const NO_PRODUCTS_TOKEN = 'shpat_no_products_00000';
const NO_BUDGET = { take: (): Promise<void> => Promise.resolve() };

/** Every change after `position`, page by page, checking positions never go back. */
async function readAllChanges(connector: Connector, object: string, position: ChangeVersion) {
  const ids = new Set<string>();
  let cursor: string | null = null;
  let last = 0;
  do {
    const page = await connector.changes!.readChanges(object, position, cursor);
    page.changes.forEach((change) => ids.add(change.externalId));
    if (page.position) {
      expect(page.position.at).toBeGreaterThanOrEqual(last);
      last = page.position.at;
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** Every record the change log reads after `position`, by GID (its payload as stored). */
async function changePayloads(connector: Connector, object: string, position: ChangeVersion) {
  const payloads = new Map<string, Record<string, unknown>>();
  let cursor: string | null = null;
  do {
    const page = await connector.changes!.readChanges(object, position, cursor);
    page.changes.forEach((change) => payloads.set(change.externalId, change.payload));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return payloads;
}

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
      searchLagMs: 0,
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

  it('reads every customer, order and product once in bulk, each record equal to the change log’s', async () => {
    const connector = createShopifyConnector(SHOP, DEFAULT_TOKEN, settings, NO_BUDGET);
    for (const object of ['customers', 'orders', 'products']) {
      const records = await readAll(connector, object);
      const { ids } = await shopifyControl<{ ids: string[] }>(emulator, 'GET', `/objects/${object}`);
      expect(records.map((r) => r.payload.legacyResourceId as string).sort()).toEqual([...ids].sort());
      // The same fields, children included, as the paged GraphQL reads of incremental runs and webhooks store.
      const bulk = new Map(records.map((r) => [r.externalId, r.payload]));
      expect(bulk).toEqual(await changePayloads(connector, object, { at: 0, id: null }));
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

  it('reads changes by updated_at past the 25,000 cap (narrowing the window), then none after the head', async () => {
    const connector = createShopifyConnector(SHOP, DEFAULT_TOKEN, settings, NO_BUDGET);
    const { ids } = await shopifyControl<{ ids: string[] }>(emulator, 'GET', '/objects/customers');
    const read = await readAllChanges(connector, 'customers', { at: 0, id: null });
    expect([...read].sort()).toEqual(ids.map((id) => `gid://shopify/Customer/${id}`).sort());
    const head = await connector.changes!.head();
    expect(Math.abs(head.at - Date.now() / 1000)).toBeLessThan(5);
    const updated = ids.slice(0, 3);
    await shopifyControl(emulator, 'POST', '/objects/customers/update', { ids: updated, set: { note: 'changed' } });
    // From the head on: what changed since a little before it (the lookback), the three among them.
    const since = await readAllChanges(connector, 'customers', head);
    const recent = emulator.state.store
      .sortedBy('customers', 'ID')
      .filter((c) => c.updatedAt >= (head.at - LOOKBACK_SECONDS) * 1000)
      .map((c) => `gid://shopify/Customer/${c.id}`);
    expect([...since].sort()).toEqual(recent.sort());
    expect(recent).toEqual(expect.arrayContaining(updated.map((id) => `gid://shopify/Customer/${id}`)));
  }, 120_000);

  it('loses no row when more than 25,000 share one updated_at (the window boundary case)', async () => {
    const connector = createShopifyConnector(SHOP, DEFAULT_TOKEN, settings, NO_BUDGET);
    const at = Date.UTC(2026, 0, 15, 12, 0, 0);
    await shopifyControl(emulator, 'POST', '/objects/customers/update', { all: true, updatedAt: at });
    const { ids } = await shopifyControl<{ ids: string[] }>(emulator, 'GET', '/objects/customers');
    const read = await readAllChanges(connector, 'customers', { at: at / 1000 - 3600, id: null });
    expect(read.size).toBe(ids.length);
  }, 120_000);

  it('reads one record back by its GID for a webhook, and a delete once it is gone', async () => {
    const connector = createShopifyConnector(SHOP, DEFAULT_TOKEN, settings, NO_BUDGET);
    const { ids } = await shopifyControl<{ ids: string[] }>(emulator, 'GET', '/objects/orders');
    const gid = `gid://shopify/Order/${ids[0]}`;
    const [live] = await connector.changes!.readChange(gid);
    expect(live).toMatchObject({ object: 'orders', change: { externalId: gid, deleted: false } });
    expect((live.change.payload.lineItems as unknown[]).length).toBeGreaterThan(0);
    await shopifyControl(emulator, 'POST', '/objects/orders/delete', { ids: [ids[0]] });
    const [gone] = await connector.changes!.readChange(gid);
    expect(gone).toMatchObject({ object: 'orders', change: { externalId: gid, deleted: true } });
  });
});
