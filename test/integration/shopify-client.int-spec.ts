// The Shopify client against the emulator, below the engine: every request takes the shop's cost budget for the
// query's requested cost, THROTTLED (HTTP 200) and 429 are waited out and sent again, and refusals arrive classified.
import type { ConnectorSettings } from '../../libs/connectors/src/core/connector';
import { ProviderError } from '../../libs/connectors/src/core/provider-error';
import { createShopifyRequest } from '../../libs/connectors/src/shopify/shopify.client';
import { ALL_SCOPES, DEFAULT_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { shopifyControl } from '../utils/shopify-emulator';

const SHOP = 'tributary-emu.myshopify.com';
const NO_ORDERS_TOKEN = 'shpat_customers_only_0000';
const QUERY = '{ customers(first: 10) { nodes { id email } } }';

describe('Shopify client against the emulator', () => {
  let emulator: ShopifyEmulator;
  let settings: ConnectorSettings;
  let taken: number[];
  const budget = { take: (_kind?: unknown, cost = 1): Promise<void> => Promise.resolve(void taken.push(cost)) };

  beforeAll(async () => {
    emulator = await startShopifyEmulator({
      port: 0,
      customers: 30,
      orders: 10,
      products: 5,
      limits: false,
      shopDomain: SHOP,
      tokens: { [DEFAULT_TOKEN]: ALL_SCOPES, [NO_ORDERS_TOKEN]: ['read_customers'] },
    });
    settings = {
      shopify: { apiBaseUrl: emulator.url, costRate: { perSecond: 100, burst: 2000 } },
    } as ConnectorSettings;
  });
  beforeEach(async () => {
    taken = [];
    await shopifyControl(emulator, 'DELETE', '/faults');
  });
  afterAll(() => emulator.close());

  it('returns data and takes the query’s requested cost from the budget (learned from the first answer)', async () => {
    const request = createShopifyRequest(SHOP, DEFAULT_TOKEN, settings, budget);
    const data = await request<{ customers: { nodes: { id: string }[] } }>(QUERY);
    expect(data.customers.nodes).toHaveLength(10);
    expect(taken).toEqual([1, 11]); // a first guess of 1, then the rest of the requested 12 points
    await request(QUERY);
    expect(taken).toEqual([1, 11, 12]); // the requested cost before sending, once known
  });

  it('waits out THROTTLED (HTTP 200) and a 429 (Retry-After in seconds) and sends again', async () => {
    const request = createShopifyRequest(SHOP, DEFAULT_TOKEN, settings, budget);
    await shopifyControl(emulator, 'POST', '/faults', { throttled: true, count: 1 });
    expect((await request<{ customers: { nodes: unknown[] } }>(QUERY)).customers.nodes).toHaveLength(10);
    expect(taken).toEqual([12, 12]); // the cost known from the test above (for the whole process), again for the retry
    await shopifyControl(emulator, 'POST', '/faults', { status: 429, retryAfter: '0.5', count: 1 });
    const started = Date.now();
    expect((await request<{ customers: { nodes: unknown[] } }>(QUERY)).customers.nodes).toHaveLength(10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('gives up on throttling after a few tries, as rate_limited with Shopify’s wait', async () => {
    const request = createShopifyRequest(SHOP, DEFAULT_TOKEN, settings, budget);
    await shopifyControl(emulator, 'POST', '/faults', { status: 429, retryAfter: '0.01', count: 6 });
    await expect(request(QUERY)).rejects.toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 10 });
  });

  it('classifies refusals: a bad token, a missing scope, a 5xx, a query the schema refuses', async () => {
    const bad = createShopifyRequest(SHOP, 'shpat_not_a_real_token', settings, budget);
    const refused = await bad(QUERY).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ kind: 'auth', status: 401 });
    expect((refused as Error).message).toMatch(/access token for tributary-emu\.myshopify\.com/);
    expect((refused as Error).message).not.toContain('shpat_not_a_real_token');

    const limited = createShopifyRequest(SHOP, NO_ORDERS_TOKEN, settings, budget);
    await expect(limited('{ orders(first: 1) { nodes { id } } }')).rejects.toMatchObject({
      kind: 'permission',
      providerCode: 'ACCESS_DENIED',
      message: expect.stringContaining('read_orders'),
    });

    const request = createShopifyRequest(SHOP, DEFAULT_TOKEN, settings, budget);
    await shopifyControl(emulator, 'POST', '/faults', { status: 502, count: 1 });
    await expect(request(QUERY)).rejects.toMatchObject({ kind: 'transient', status: 502 });
    await expect(request('{ customers(first: 1) { nodes { nope } } }')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('sends nothing for a domain that is not <name>.myshopify.com', () => {
    expect(() => createShopifyRequest('evil.example.com', DEFAULT_TOKEN, settings, budget)).toThrow(
      /must be <name>\.myshopify\.com/,
    );
    expect(taken).toEqual([]);
  });
});
