// Bulk operations through @shopify/admin-api-client: the query inside bulkOperationRunQuery is checked against the
// real schema and the bulk rules (userErrors, code INVALID), jobs move CREATED → RUNNING → COMPLETED on the emulator
// clock, the JSONL at `url` puts children on their own lines with `__parentId`, concurrency is 5 per shop from
// 2026-01 (1 before), an injected failure leaves FAILED with a partialDataUrl, and jobs can be cancelled.
import type { AdminApiClient } from '@shopify/admin-api-client';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { shopifyClient, shopifyControl } from '../utils/shopify-emulator';

const NOW = Date.UTC(2026, 5, 1);
const RUN = `mutation($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: false) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;
const POLL = `query($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt } }
}`;
const ORDERS = `{ orders(sortKey: UPDATED_AT) { edges { node { id name updatedAt lineItems { edges { node { id sku quantity } } } } } } }`;

interface Operation {
  id: string;
  status: string;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
}

async function run(client: AdminApiClient, query: string) {
  const { data, errors } = await client.request(RUN, { variables: { query } });
  expect(errors).toBeUndefined();
  return data.bulkOperationRunQuery as {
    bulkOperation: { id: string; status: string } | null;
    userErrors: { field: string[]; message: string; code: string }[];
  };
}

describe('Shopify emulator: bulk operations through @shopify/admin-api-client', () => {
  let emulator: ShopifyEmulator;
  let client: AdminApiClient;
  const poll = async (id: string): Promise<Operation> =>
    (await client.request(POLL, { variables: { id } })).data.node as Operation;
  const advance = (ms: number) => shopifyControl(emulator, 'POST', '/clock', { advanceMs: ms });

  beforeAll(async () => {
    emulator = await startShopifyEmulator({
      clock: () => NOW,
      limits: false,
      orders: 120,
      tokens: {
        shpat_all: ['read_customers', 'read_orders', 'read_all_orders', 'read_products'],
        shpat_products: ['read_products'],
      },
      versions: ['2025-10', '2026-01'],
    });
    client = shopifyClient(emulator, { accessToken: 'shpat_all' });
  });
  beforeEach(() => shopifyControl(emulator, 'POST', '/reset', { orders: 120 }));
  afterAll(() => emulator.close());

  it('rejects a bulk query that is invalid against the schema or breaks the bulk rules, with userErrors', async () => {
    const message = async (query: string) => {
      const answer = await run(client, query);
      expect(answer.bulkOperation).toBeNull();
      expect(answer.userErrors).toEqual([{ field: ['query'], message: expect.any(String), code: 'INVALID' }]);
      return answer.userErrors[0].message;
    };
    expect(await message('{ orders { edges { node { id totalPriceUsd } } } }')).toMatch(
      /^Invalid bulk query: Cannot query field "totalPriceUsd" on type "Order"\./,
    );
    expect(await message('{ orders { edges { node { id }')).toMatch(/^Invalid bulk query: Syntax Error/);
    expect(await message('{ shop { name } }')).toBe('Bulk queries must contain at least one connection.');
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((alias) => `${alias}: products { edges { node { id } } }`);
    expect(await message(`{ ${six.join(' ')} }`)).toBe('Bulk queries cannot contain more than 5 connections.');
    expect(
      await message(
        '{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }',
      ),
    ).toBe('Bulk queries cannot contain connections with a nesting depth greater than 2.');
    expect(await message('{ orders { edges { node { name lineItems { edges { node { id } } } } } } }')).toMatch(
      /^The parent 'node' field for a nested connection must select the 'id' field/,
    );
    const { errors } = await client.request('mutation { bulkOperationRunQuery(query: 42) { userErrors { message } } }');
    expect(errors?.graphQLErrors?.[0].message).toMatch(/String cannot represent a non string value: 42/);
  });

  it('moves a job CREATED → RUNNING → COMPLETED on the emulator clock and serves JSONL with __parentId lines', async () => {
    const started = await run(client, ORDERS);
    expect(started).toEqual({
      bulkOperation: { id: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\/\d+$/), status: 'CREATED' },
      userErrors: [],
    });
    const id = started.bulkOperation!.id;
    expect((await poll(id)).status).toBe('CREATED');
    await advance(60);
    expect((await poll(id)).status).toBe('RUNNING');
    await advance(300);
    const done = await poll(id);
    expect(done).toMatchObject({ status: 'COMPLETED', errorCode: null, partialDataUrl: null });
    const current = await client.request('{ currentBulkOperation(type: QUERY) { id status url } }');
    expect(current.data.currentBulkOperation).toEqual({ id, status: 'COMPLETED', url: done.url });

    const response = await fetch(done.url!);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(String(Buffer.byteLength(text))).toBe(done.fileSize);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const orders = lines.filter((line) => line.__parentId === undefined);
    const children = lines.filter((line) => line.__parentId !== undefined);
    expect([String(lines.length), String(orders.length)]).toEqual([done.objectCount, done.rootObjectCount]);
    expect(orders).toHaveLength(120);
    expect(children.length).toBeGreaterThan(120);
    expect(orders[0]).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Order\//),
      name: expect.stringMatching(/^#\d+$/),
      updatedAt: expect.any(String),
    });
    let parent: unknown;
    for (const line of lines) {
      if (line.__parentId === undefined) {
        parent = line.id;
      } else {
        expect(line).toEqual({
          id: expect.stringMatching(/LineItem/),
          sku: expect.any(String),
          quantity: expect.any(Number),
          __parentId: parent,
        });
      }
    }
    const updated = orders.map((order) => order.updatedAt as string);
    expect([...updated].sort()).toEqual(updated);
  });

  it('runs up to 5 query jobs at once per shop on 2026-01, and 1 on an older version', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await run(client, ORDERS)).bulkOperation!.id);
    }
    expect(await run(client, ORDERS)).toEqual({
      bulkOperation: null,
      userErrors: [{ field: [], message: expect.any(String), code: 'LIMIT_REACHED' }],
    });
    await advance(400);
    expect(await Promise.all(ids.map(async (id) => (await poll(id)).status))).toEqual(Array(5).fill('COMPLETED'));
    const older = shopifyClient(emulator, { accessToken: 'shpat_all', apiVersion: '2025-10' });
    const first = await run(older, ORDERS);
    expect(first.userErrors).toEqual([]);
    expect(await run(older, ORDERS)).toEqual({
      bulkOperation: null,
      userErrors: [
        {
          field: [],
          message: `A bulk query operation for this app and shop is already in progress: ${first.bulkOperation!.id}.`,
          code: 'OPERATION_IN_PROGRESS',
        },
      ],
    });
  });

  it('fails a job by fault injection with INTERNAL_SERVER_ERROR and a partialDataUrl holding the rows written', async () => {
    await shopifyControl(emulator, 'POST', '/bulk/faults', { errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 25 });
    const id = (await run(client, ORDERS)).bulkOperation!.id;
    await advance(400);
    const failed = await poll(id);
    expect(failed).toMatchObject({
      status: 'FAILED',
      errorCode: 'INTERNAL_SERVER_ERROR',
      url: null,
      objectCount: '25',
    });
    const partial = (await (await fetch(failed.partialDataUrl!)).text()).trimEnd().split('\n');
    expect(partial).toHaveLength(25);
    const next = (await run(client, ORDERS)).bulkOperation!.id;
    await advance(400);
    expect(await poll(next)).toMatchObject({ status: 'COMPLETED', partialDataUrl: null });
  });

  it('fails a job over a resource the token may not read with ACCESS_DENIED, and cancels a running one', async () => {
    const limited = shopifyClient(emulator, { accessToken: 'shpat_products' });
    const denied = (await run(limited, ORDERS)).bulkOperation!.id;
    await advance(400);
    expect(await poll(denied)).toMatchObject({ status: 'FAILED', errorCode: 'ACCESS_DENIED', url: null });

    const id = (await run(client, ORDERS)).bulkOperation!.id;
    const cancel = await client.request(
      'mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }',
      { variables: { id } },
    );
    expect(cancel.data.bulkOperationCancel).toEqual({ bulkOperation: { status: 'CANCELING' }, userErrors: [] });
    await advance(10);
    expect((await poll(id)).status).toBe('CANCELED');
  });
});
