// Cursor pagination, the 25,000-object depth cap and the search syntax, through @shopify/admin-api-client: 5,000
// customers paged by UPDATED_AT with every one seen once in order, `reverse` and `last`/`before`, page-size limits,
// windows on updated_at where hundreds of records share one second, the empty-value internal error, index lag.
import { type AdminApiClient } from '@shopify/admin-api-client';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { shopifyClient, shopifyControl } from '../utils/shopify-emulator';

const NOW = Date.UTC(2026, 5, 1);
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

interface Node {
  id: string;
  updatedAt: string;
}
interface Page {
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const PAGE = `query($first: Int, $last: Int, $after: String, $before: String, $query: String, $reverse: Boolean, $sortKey: CustomerSortKeys) {
  customers(first: $first, last: $last, after: $after, before: $before, query: $query, reverse: $reverse, sortKey: $sortKey) {
    nodes { id updatedAt }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function page(client: AdminApiClient, variables: Record<string, unknown>): Promise<Page> {
  const { data, errors } = await client.request(PAGE, { variables });
  if (errors) {
    throw new Error(JSON.stringify(errors.graphQLErrors ?? errors));
  }
  return (data as { customers: Page }).customers;
}

async function readAll(client: AdminApiClient, variables: Record<string, unknown>): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  do {
    const current = await page(client, { first: 250, ...variables, after });
    nodes.push(...current.nodes);
    after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
  } while (after);
  return nodes;
}

describe('Shopify emulator: pagination and search through @shopify/admin-api-client', () => {
  let emulator: ShopifyEmulator;
  let client: AdminApiClient;

  beforeAll(async () => {
    emulator = await startShopifyEmulator({ clock: () => NOW, limits: false, customers: 5000 });
    client = shopifyClient(emulator);
  });
  afterAll(() => emulator.close());

  it('pages 5,000 customers by UPDATED_AT: each once, in (updatedAt, id) order, with opaque cursors', async () => {
    const first = await page(client, { first: 250, sortKey: 'UPDATED_AT' });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await page(client, { first: 250, sortKey: 'UPDATED_AT', after: first.pageInfo.endCursor });
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    const all = await readAll(client, { sortKey: 'UPDATED_AT' });
    expect(all).toHaveLength(5000);
    expect(new Set(all.map((node) => node.id)).size).toBe(5000);
    const key = (node: Node) => [Date.parse(node.updatedAt), Number(node.id.split('/').pop())];
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [key(all[i - 1]), key(all[i])];
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
    }
    expect(all.slice(0, 250)).toEqual(first.nodes);
  });

  it('pages backwards with last/before, and reverse flips the order', async () => {
    const forward = await page(client, { first: 10, sortKey: 'CREATED_AT' });
    const middle = forward.nodes[5];
    const next = await page(client, { first: 4, sortKey: 'CREATED_AT', after: forward.pageInfo.startCursor });
    expect(next.nodes).toEqual(forward.nodes.slice(1, 5));
    const before = await page(client, { last: 3, sortKey: 'CREATED_AT', before: next.pageInfo.endCursor });
    expect(before.nodes).toEqual(forward.nodes.slice(1, 4));
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const reversed = await page(client, { first: 10, sortKey: 'CREATED_AT', reverse: true });
    const lastTen = await page(client, { last: 10, sortKey: 'CREATED_AT' });
    expect(reversed.nodes).toEqual([...lastTen.nodes].reverse());
    expect(forward.nodes).toContainEqual(middle);
  });

  it('refuses a page size over 250, a missing page size and a cursor that is not one', async () => {
    const codes = async (query: string) => {
      const { errors } = await client.request(query);
      return errors?.graphQLErrors?.map((error) => error.message);
    };
    expect(await codes('{ customers(first: 251) { nodes { id } } }')).toEqual([
      'The first argument must be between 0 and 250.',
    ]);
    expect(await codes('{ customers { nodes { id } } }')).toEqual(['you must provide one of first or last']);
    expect(await codes('{ customers(first: 5, after: "bm90LWEtY3Vyc29y") { nodes { id } } }')).toEqual([
      'Invalid cursor for current pagination sort.',
    ]);
  });

  it('filters on updated_at with >, >=, <, <= and AND, with 300 customers sharing one second at the boundary', async () => {
    const boundary = NOW - 3600_000;
    const shared = (
      await shopifyControl<{ ids: string[] }>(emulator, 'POST', '/objects/customers/create', {
        count: 300,
        createdAt: boundary - 86_400_000,
        updatedAt: boundary,
      })
    ).ids;
    const ids = async (query: string) =>
      (await readAll(client, { query, sortKey: 'UPDATED_AT' })).map((node) => node.id.split('/').pop());
    const atOrAfter = await ids(`updated_at:>='${iso(boundary)}'`);
    expect(atOrAfter.slice(0, 300)).toEqual(shared);
    expect(await ids(`updated_at:>'${iso(boundary)}'`)).toEqual(atOrAfter.slice(300));
    const window = await ids(`updated_at:>='${iso(boundary)}' AND updated_at:<='${iso(boundary)}'`);
    expect(window).toEqual(shared);
    const before = await ids(`updated_at:<'${iso(boundary)}'`);
    expect(before.length + atOrAfter.length).toBe(5300);
    expect(await ids(`updated_at:<='${iso(boundary - 1000)}'`)).toEqual(before);
  });

  it('filters by email, tag and created_at, caps nodes(ids:) at 250, and answers an empty value with an internal error', async () => {
    const sample = (await client.request('{ customers(first: 1, sortKey: ID) { nodes { id email } } }')).data.customers
      .nodes[0] as { id: string; email: string };
    const byEmail = await page(client, { first: 5, query: `email:${sample.email.toUpperCase()}` });
    expect(byEmail.nodes.map((node) => node.id)).toEqual([sample.id]);
    const tagged = await client.request('{ customers(first: 250, query: "tag:vip") { nodes { tags } } }');
    expect(tagged.data.customers.nodes.length).toBeGreaterThan(0);
    expect(tagged.data.customers.nodes.every((node: { tags: string[] }) => node.tags.includes('vip'))).toBe(true);
    const cutoff = iso(NOW - 200 * 86_400_000);
    const old = await readAll(client, { query: `created_at:<'${cutoff}'` });
    const lookup = (ids: string[]) =>
      client.request(`{ nodes(ids: ${JSON.stringify(ids)}) { ... on Customer { createdAt } } }`);
    expect(old.length).toBeGreaterThan(250);
    const tooMany = await lookup(old.map((node) => node.id));
    expect(tooMany.errors?.graphQLErrors?.[0].extensions).toMatchObject({ code: 'MAX_INPUT_SIZE_EXCEEDED' });
    const created = await lookup(old.slice(0, 250).map((node) => node.id));
    expect(created.data.nodes.every((node: { createdAt: string }) => node.createdAt < cutoff)).toBe(true);
    const { errors } = await client.request('{ customers(first: 5, query: "updated_at:>") { nodes { id } } }');
    expect(errors?.graphQLErrors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Internal error\. Looks like something went wrong on our end\./),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('finds a record written less than the index lag ago only once the lag has passed', async () => {
    await shopifyControl(emulator, 'POST', '/clock', { nowMs: NOW + 10 * 86_400_000 });
    await shopifyControl(emulator, 'POST', '/search-lag', { ms: 5000 });
    const [id] = (await shopifyControl<{ ids: string[] }>(emulator, 'POST', '/objects/customers/create', {})).ids;
    const query = `updated_at:>='${iso(NOW + 10 * 86_400_000)}'`;
    expect((await page(client, { first: 5, query })).nodes).toEqual([]);
    expect((await page(client, { first: 5, sortKey: 'ID', reverse: true })).nodes[0].id).toBe(
      `gid://shopify/Customer/${id}`,
    );
    await shopifyControl(emulator, 'POST', '/clock', { advanceMs: 5000 });
    expect((await page(client, { first: 5, query })).nodes.map((node) => node.id)).toEqual([
      `gid://shopify/Customer/${id}`,
    ]);
    await shopifyControl(emulator, 'POST', '/search-lag', { ms: 0 });
    await shopifyControl(emulator, 'POST', '/clock', { restore: true });
  });
});

describe('Shopify emulator: the 25,000-object pagination depth cap', () => {
  let emulator: ShopifyEmulator;

  beforeAll(async () => {
    emulator = await startShopifyEmulator({
      clock: () => NOW,
      limits: false,
      customers: 25_300,
      orders: 0,
      products: 0,
    });
  });
  afterAll(() => emulator.close());

  it('errors on the page that would reach past the 25,000th object; a narrower filter reads the rest', async () => {
    const client = shopifyClient(emulator);
    let after: string | null = null;
    const seen = new Set<string>();
    let last: Node | undefined;
    for (let i = 0; i < 100; i++) {
      const current: Page = await page(client, { first: 250, sortKey: 'UPDATED_AT', after });
      current.nodes.forEach((node) => seen.add(node.id));
      last = current.nodes.at(-1);
      after = current.pageInfo.endCursor;
    }
    expect(seen.size).toBe(25_000);
    const { errors } = await client.request(PAGE, { variables: { first: 250, sortKey: 'UPDATED_AT', after } });
    expect(errors?.graphQLErrors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Pagination depth exceeded/),
      extensions: { code: 'PAGINATION_DEPTH_EXCEEDED' },
    });
    const rest = await readAll(client, { sortKey: 'UPDATED_AT', query: `updated_at:>='${last!.updatedAt}'` });
    rest.forEach((node) => seen.add(node.id));
    expect(seen.size).toBe(25_300);
  });
});
