// The Shopify bulk reader (libs/connectors/src/shopify/shopify.bulk.ts) against the emulator through the official
// @shopify/admin-api-client: a whole read of 5,000 orders with their line items equals the shop's data; a job
// failing mid-way is started over and nothing of it is handed out; a new reader given a saved cursor resumes the
// same job and reads the rest exactly once; rows sharing one updated_at all arrive across a window boundary; an
// expired result is read again; a shop running its 5 bulk queries makes the reader wait for a slot.
import type { AdminApiClient } from '@shopify/admin-api-client';
import { ALL_SCOPES, DEFAULT_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import type { MappedRecord } from '../../libs/connectors/src/core/connector';
import { ProviderError } from '../../libs/connectors/src/core/provider-error';
import {
  type BulkReadOptions,
  readBulkPage,
  type ShopifyFetchFile,
  ShopifyBulkReader,
  type ShopifyRequest,
} from '../../libs/connectors/src/shopify/shopify.bulk';
import { decodeBulkCursor, encodeBulkCursor, runTag } from '../../libs/connectors/src/shopify/shopify.bulk-cursor';
import type { UpdatedAtWindow } from '../../libs/connectors/src/shopify/shopify.bulk-queries';
import { shopifyClient, shopifyControl } from '../utils/shopify-emulator';

const ORDERS = 5_000;
const FAST: BulkReadOptions = { pollIntervalMs: 20, maxWaitMs: 5_000, pageSize: 2_000 };
const fetchFile: ShopifyFetchFile = (url, signal) => fetch(url.replace(/^https:/, 'http:'), { signal });

function requestOf(client: AdminApiClient): ShopifyRequest {
  return async <T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T> => {
    const { data, errors } = await client.request(query, { variables, signal });
    if (errors) {
      throw new Error(`GraphQL errors: ${JSON.stringify(errors)}`);
    }
    return data as T;
  };
}

interface Read {
  records: MappedRecord[];
  pages: number[];
  cursors: (string | null)[];
}

/** Reads pages from `cursor` until the read ends (or `maxPages` pages came). */
async function drain(
  reader: ShopifyBulkReader,
  object: string,
  cursor: string | null = null,
  window: UpdatedAtWindow = {},
  maxPages = 100,
): Promise<Read> {
  const read: Read = { records: [], pages: [], cursors: [] };
  let next = cursor;
  do {
    const page = await reader.readPage(object, next, undefined, { window });
    read.records.push(...page.records);
    read.pages.push(page.records.length);
    read.cursors.push(page.nextCursor);
    next = page.nextCursor;
  } while (next !== null && read.pages.length < maxPages);
  return read;
}

const ids = (records: MappedRecord[]) => records.map((record) => record.externalId);

describe('Shopify bulk reader against the emulator', () => {
  let emulator: ShopifyEmulator;
  let client: AdminApiClient;
  let request: ShopifyRequest;
  const reader = (options: BulkReadOptions = {}) => new ShopifyBulkReader(request, fetchFile, { ...FAST, ...options });
  const control = (method: string, path: string, body?: object) => shopifyControl(emulator, method, path, body);
  const sortedOrderIds = () => [...emulator.state.store.records.orders.keys()].sort((a, b) => a - b);

  beforeAll(async () => {
    emulator = await startShopifyEmulator({
      orders: ORDERS,
      limits: false,
      bulk: { startDelayMs: 20, durationMs: 80 },
      tokens: { [DEFAULT_TOKEN]: ALL_SCOPES, shpat_products_only: ['read_products'] },
    });
    client = shopifyClient(emulator);
    request = requestOf(client);
  });
  beforeEach(async () => {
    await control('POST', '/reset', { orders: ORDERS });
    await control('POST', '/bulk', { startDelayMs: 20, durationMs: 80 });
  });
  afterAll(() => emulator.close());

  it('reads 5,000 orders with their line items in pages, equal to the shop’s data', async () => {
    const read = await drain(reader(), 'orders');
    expect(read.pages.filter((size) => size > 0)).toEqual([2_000, 2_000, 1_000]);
    type Order = { id: string; name: string; updatedAt: string; lineItems: Record<string, unknown>[] };
    const got = read.records.map(({ externalId, payload }) => {
      const order = payload as Order;
      const items = order.lineItems.map(({ id, sku, quantity, variant }) => ({ id, sku, quantity, variant }));
      return { externalId, name: order.name, updatedAt: order.updatedAt, items };
    });
    const shop = [...emulator.state.store.records.orders.values()].map((order) => ({
      externalId: `gid://shopify/Order/${order.id}`,
      name: `#${order.number}`,
      updatedAt: new Date(order.updatedAt).toISOString().replace('.000Z', 'Z'),
      items: order.lineItems.map((item) => ({
        id: `gid://shopify/LineItem/${item.id}`,
        sku: item.sku,
        quantity: item.quantity,
        variant: { id: `gid://shopify/ProductVariant/${item.variantId}` },
      })),
    }));
    const byId = (a: { externalId: string }, b: { externalId: string }) => a.externalId.localeCompare(b.externalId);
    expect(got).toHaveLength(ORDERS);
    expect(got.sort(byId)).toEqual(shop.sort(byId));
    const products = await drain(reader(), 'products');
    expect(products.records).toHaveLength(emulator.state.store.count('products'));
    const [product] = emulator.state.store.records.products.values();
    expect(
      products.records.find((record) => record.externalId === `gid://shopify/Product/${product.id}`)!.payload
        .variants as unknown[],
    ).toHaveLength(product.variants.length);
    expect((await drain(reader(), 'customers')).records).toHaveLength(emulator.state.store.count('customers'));
  });

  it('starts a job that failed mid-way over, never handing out its partial data, and fails after 3 restarts', async () => {
    await control('POST', '/bulk/faults', { errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 1_500, count: 1 });
    const sut = reader();
    const started = await sut.readPage('orders', null);
    expect(started.records).toEqual([]);
    expect(decodeBulkCursor(started.nextCursor!, 'orders')).toMatchObject({ position: 0, restarts: 0 });
    const first = await sut.readPage('orders', started.nextCursor);
    // The failed job's 1,500 lines were never handed out: a new job, from its first record.
    expect(first.records).toEqual([]);
    const restarted = decodeBulkCursor(first.nextCursor!, 'orders');
    expect(restarted).toMatchObject({ position: 0, restarts: 1 });
    const rest = await drain(sut, 'orders', first.nextCursor);
    expect(new Set(ids(rest.records)).size).toBe(ORDERS);
    expect(rest.records).toHaveLength(ORDERS);

    await control('POST', '/bulk/faults', { errorCode: 'TIMEOUT', afterObjects: 10, count: 4 });
    const failing = reader();
    let cursor: string | null = null;
    const handed: MappedRecord[] = [];
    const error = await (async () => {
      for (;;) {
        const page = await failing.readPage('customers', cursor);
        handed.push(...page.records);
        cursor = page.nextCursor;
      }
    })().catch((caught: unknown) => caught as ProviderError);
    expect(handed).toEqual([]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'exhausted', providerCode: 'TIMEOUT' });
    expect(error.message).toMatch(
      /^Shopify bulk job gid:\/\/shopify\/BulkOperation\/\d+ for customers ended FAILED \(TIMEOUT\) after 3 restarts/,
    );
    // The saved cursor still points at the failed job: retrying it fails the same way rather than skipping ahead.
    await expect(reader().readPage('customers', cursor)).rejects.toMatchObject({ kind: 'exhausted' });
    // Within one run the count goes on; another run continuing the cursor starts the job over with its own budget.
    const exhausted = encodeBulkCursor({ ...decodeBulkCursor(cursor!, 'customers'), run: runTag('run-1') });
    await expect(reader().readPage('customers', exhausted, undefined, { runId: 'run-1' })).rejects.toMatchObject({
      kind: 'exhausted',
    });
    const next = await reader().readPage('customers', exhausted, undefined, { runId: 'run-2' });
    const resumed = decodeBulkCursor(next.nextCursor!, 'customers');
    expect(next.records).toEqual([]);
    expect(resumed).toMatchObject({ run: runTag('run-2'), restarts: 1, position: 0 });
    expect(resumed.operation).not.toBe(decodeBulkCursor(cursor!, 'customers').operation);
    const again = await drain(reader(), 'customers', next.nextCursor);
    expect(new Set(ids(again.records)).size).toBe(emulator.state.store.count('customers'));
    expect(again.records).toHaveLength(emulator.state.store.count('customers'));
  });

  it('fails a job the token may not read as a permission problem, without starting it over', async () => {
    const limited = requestOf(shopifyClient(emulator, { accessToken: 'shpat_products_only' }));
    const sut = new ShopifyBulkReader(limited, fetchFile, FAST);
    const started = await sut.readPage('orders', null);
    const error = (await sut
      .readPage('orders', started.nextCursor)
      .catch((caught: unknown) => caught)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'permission', providerCode: 'ACCESS_DENIED' });
    expect(error.message).toBe('Shopify denied the bulk read of orders: the access token lacks a read scope it needs');
  });

  it('resumes the same job from a saved cursor in a new reader, reading the rest exactly once', async () => {
    await control('POST', '/bulk', { startDelayMs: 20, durationMs: 600 });
    // The job outlives the first call: it hands back a cursor naming the job, holding no records yet.
    const waiting = await reader({ maxWaitMs: 100 }).readPage('orders', null);
    expect(waiting.records).toEqual([]);
    const { operation } = decodeBulkCursor(waiting.nextCursor!, 'orders');

    const killed = reader({ pageSize: 1_500 });
    const before = await drain(killed, 'orders', waiting.nextCursor, {}, 1);
    expect(before.pages.filter((size) => size > 0)).toEqual([1_500]);
    const saved = before.cursors.at(-1)!;
    expect(decodeBulkCursor(saved, 'orders')).toMatchObject({ operation, position: 1_500 });

    // The rest through readBulkPage: a fresh reader per page, as a worker restarted between every page would be.
    const after: MappedRecord[] = [];
    for (let cursor: string | null = saved; cursor !== null;) {
      const page = await readBulkPage(request, fetchFile, 'orders', cursor, undefined, { ...FAST, pageSize: 1_500 });
      after.push(...page.records);
      cursor = page.nextCursor;
    }
    const all = [...ids(before.records), ...ids(after)];
    expect(all).toHaveLength(ORDERS);
    expect(new Set(all).size).toBe(ORDERS);
    expect(new Set(all)).toEqual(new Set(sortedOrderIds().map((id) => `gid://shopify/Order/${id}`)));
    const current = await request<{ currentBulkOperation: { id: string } }>(
      '{ currentBulkOperation(type: QUERY) { id } }',
    );
    expect(current.currentBulkOperation.id).toBe(operation); // no second job was run
  });

  it('reads every row sharing one updated_at, in pages and across a window boundary at that time', async () => {
    const shared = Date.UTC(2026, 0, 15, 12, 0, 0);
    const iso = new Date(shared).toISOString().replace('.000Z', 'Z');
    await control('POST', '/objects/orders/update', { first: 3_000, updatedAt: shared });
    const onBoundary = [...emulator.state.store.records.orders.values()].filter((o) => o.updatedAt === shared);
    expect(onBoundary).toHaveLength(3_000);

    const exact = await drain(reader({ pageSize: 700 }), 'orders', null, { gte: iso, lte: iso });
    expect(exact.pages.filter((size) => size > 0)).toEqual([700, 700, 700, 700, 200]);
    expect(new Set(ids(exact.records))).toEqual(new Set(onBoundary.map((o) => `gid://shopify/Order/${o.id}`)));

    const [older, newer] = await Promise.all([
      drain(reader({ pageSize: 1_000 }), 'orders', null, { lte: iso }),
      drain(reader({ pageSize: 1_000 }), 'orders', null, { gte: iso }),
    ]);
    expect(new Set([...ids(older.records), ...ids(newer.records)]).size).toBe(ORDERS);
  });

  it('runs a job again when its result URL has expired', async () => {
    const started = await reader().readPage('orders', null);
    const first = await reader({ pageSize: 1_000 }).readPage('orders', started.nextCursor);
    expect(first.records).toHaveLength(1_000);
    await control('POST', '/clock', { advanceMs: 8 * 24 * 3_600_000 });
    const resumed = reader({ pageSize: 1_000 });
    const again = await resumed.readPage('orders', first.nextCursor);
    expect(again.records).toEqual([]);
    expect(decodeBulkCursor(again.nextCursor!, 'orders')).toMatchObject({ position: 0, restarts: 1 });
    expect((await drain(resumed, 'orders', again.nextCursor)).records).toHaveLength(ORDERS);
    await control('POST', '/clock', { restore: true });
  });

  it('waits for a free slot while the shop runs its 5 bulk queries, its cursor saying so when none frees in time', async () => {
    await control('POST', '/bulk', { startDelayMs: 20, durationMs: 400 });
    const busy = [1, 2, 3, 4, 5].map(() => reader({ maxWaitMs: 50 }).readPage('customers', null));
    const started = await Promise.all(busy);
    expect(started.every((page) => page.records.length === 0 && page.nextCursor)).toBe(true);

    // Shopify answered LIMIT_REACHED for 100 ms: no job, and a cursor that starts one when asked again.
    const refused = await reader({ maxWaitMs: 100 }).readPage('orders', null);
    expect(refused.records).toEqual([]);
    expect(decodeBulkCursor(refused.nextCursor!, 'orders')).toMatchObject({ operation: null, position: 0 });

    const began = Date.now();
    const read = await drain(reader({ maxWaitMs: 5_000 }), 'orders');
    expect(read.records).toHaveLength(ORDERS);
    expect(Date.now() - began).toBeGreaterThanOrEqual(150); // it waited for one of the five to finish
  });
});
