// Cost-based throttling and faults through @shopify/admin-api-client: `extensions.cost` on every answer, the leaky
// bucket's THROTTLED answer exactly as Shopify gives it (HTTP 200, no data, actualQueryCost null), which the client
// does not retry, MAX_COST_EXCEEDED over 1000, and injected REST-style 429s, 5xx, THROTTLED and delays.
import { createAdminApiClient } from '@shopify/admin-api-client';
import { DEFAULT_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { API_VERSION, rawGraphql, shopifyClient, shopifyControl } from '../utils/shopify-emulator';

const FIFTY = '{ customers(first: 50) { nodes { id } } }';

describe('Shopify emulator: query cost, throttling and faults', () => {
  let emulator: ShopifyEmulator;

  beforeAll(async () => {
    emulator = await startShopifyEmulator({ customers: 20 });
  });
  beforeEach(async () => {
    await shopifyControl(emulator, 'POST', '/reset', { customers: 20 });
    await shopifyControl(emulator, 'POST', '/limits', { maximumAvailable: 2000, restoreRate: 100 });
  });
  afterAll(() => emulator.close());

  it('reports requested and actual cost on every answer and charges the bucket the actual cost', async () => {
    const client = shopifyClient(emulator);
    const first = await client.request(FIFTY);
    expect(first.data.customers.nodes).toHaveLength(20);
    expect(first.extensions?.cost).toEqual({
      requestedQueryCost: 52,
      actualQueryCost: 22,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: expect.any(Number), restoreRate: 100 },
    });
    expect(first.extensions!.cost!.throttleStatus!.currentlyAvailable).toBeGreaterThanOrEqual(1978);
    const invalid = await rawGraphql(emulator, '{ customers(first: 5) { nodes { nope } } }');
    expect(invalid.body.extensions).toEqual({ cost: expect.objectContaining({ requestedQueryCost: 0 }) });
  });

  it('answers THROTTLED with HTTP 200 and no data once the bucket is short, which the client does not retry', async () => {
    await shopifyControl(emulator, 'POST', '/limits', { maximumAvailable: 100, restoreRate: 10 });
    const client = shopifyClient(emulator);
    await shopifyControl(emulator, 'POST', '/objects/customers/create', { count: 40 });
    expect((await client.request(FIFTY)).errors).toBeUndefined();
    const raw = await rawGraphql(emulator, FIFTY);
    expect(raw.status).toBe(200);
    expect(raw.body).toEqual({
      errors: [
        {
          message: 'Throttled',
          extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 52,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 100, currentlyAvailable: expect.any(Number), restoreRate: 10 },
        },
      },
    });
    const available = (raw.body.extensions as { cost: { throttleStatus: { currentlyAvailable: number } } }).cost
      .throttleStatus.currentlyAvailable;
    expect(available).toBeLessThan(52);
    const retrying = createAdminApiClient({
      storeDomain: emulator.url,
      apiVersion: API_VERSION,
      accessToken: DEFAULT_TOKEN,
      retries: 3,
      customFetchApi: (url, init) => fetch(String(url).replace(/^https:/, 'http:'), init),
    });
    const throttled = await retrying.request(FIFTY);
    expect(throttled.errors?.graphQLErrors?.[0].extensions).toMatchObject({ code: 'THROTTLED' });
    await new Promise((resolve) => setTimeout(resolve, ((52 - available) / 10) * 1000 + 300));
    expect((await client.request(FIFTY)).data.customers.nodes).toHaveLength(50);
  });

  it('refuses a query whose requested cost is over 1000 with MAX_COST_EXCEEDED, without charging it', async () => {
    const { errors, extensions } = await shopifyClient(emulator).request(
      '{ orders(first: 100) { nodes { id lineItems(first: 10) { nodes { id } } } } }',
    );
    expect(errors?.graphQLErrors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Query cost is 1302, which exceeds the single query max cost limit \(1000\)/),
      extensions: { code: 'MAX_COST_EXCEEDED', cost: 1302, maxCost: 1000 },
    });
    expect(extensions?.cost).toMatchObject({ requestedQueryCost: 1302, actualQueryCost: null });
    expect(extensions!.cost!.throttleStatus!.currentlyAvailable).toBe(2000);
  });

  it('injects a REST-style 429 with Retry-After, which the client retries, and 5xx answers', async () => {
    await shopifyControl(emulator, 'POST', '/faults', { status: 429, count: 1 });
    const limited = await rawGraphql(emulator, FIFTY);
    expect([limited.status, limited.headers.get('retry-after'), limited.body]).toEqual([
      429,
      '2.0',
      { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
    ]);
    await shopifyControl(emulator, 'POST', '/faults', { status: 429, count: 1 });
    const retrying = createAdminApiClient({
      storeDomain: emulator.url,
      apiVersion: API_VERSION,
      accessToken: DEFAULT_TOKEN,
      retries: 1,
      customFetchApi: (url, init) => fetch(String(url).replace(/^https:/, 'http:'), init),
    });
    expect((await retrying.request(FIFTY)).data.customers.nodes).toHaveLength(20);
    await shopifyControl(emulator, 'POST', '/faults', { status: 500, count: 1 });
    await shopifyControl(emulator, 'POST', '/faults', { status: 503, count: 1 });
    expect((await rawGraphql(emulator, FIFTY)).body).toEqual({ errors: 'Internal Server Error' });
    const { errors } = await shopifyClient(emulator).request(FIFTY);
    expect(errors?.networkStatusCode).toBe(503);
    expect((await shopifyControl(emulator, 'GET', '/faults')).pending).toEqual([]);
  });

  it('injects THROTTLED whatever the bucket holds, delays and latency', async () => {
    await shopifyControl(emulator, 'POST', '/faults', { throttled: true, count: 1 });
    const { errors } = await shopifyClient(emulator).request(FIFTY);
    expect(errors?.graphQLErrors?.[0].extensions).toMatchObject({ code: 'THROTTLED' });
    await shopifyControl(emulator, 'POST', '/faults', { delayMs: 300, count: 1 });
    let started = Date.now();
    await shopifyClient(emulator).request(FIFTY);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await shopifyControl(emulator, 'POST', '/latency', { ms: 200 });
    started = Date.now();
    await shopifyClient(emulator).request(FIFTY);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await shopifyControl(emulator, 'POST', '/latency', { ms: 0 });
  });

  it('turns throttling off on demand and refuses bad control bodies with a reason', async () => {
    await shopifyControl(emulator, 'POST', '/limits', { maximumAvailable: 300, restoreRate: 1 });
    await shopifyControl(emulator, 'POST', '/limits', { throttling: false });
    const client = shopifyClient(emulator);
    for (let i = 0; i < 5; i++) {
      expect((await client.request('{ customers(first: 250) { nodes { id } } }')).errors).toBeUndefined();
    }
    const response = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 418 }),
    });
    expect([response.status, await response.json()]).toEqual([400, { error: 'status must be 429, 500, 502 or 503' }]);
  });
});
