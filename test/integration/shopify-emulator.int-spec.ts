// The Shopify emulator through the official @shopify/admin-api-client 2.0: every query is checked against Shopify's
// real Admin schema for 2026-01 (invalid → GraphQL errors with HTTP 200), the 401 of a bad token, versions falling
// forward, scopes (ACCESS_DENIED, and the 60-day window of orders without read_all_orders), lookups by id.
import { DEFAULT_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { rawGraphql, shopifyClient, shopifyControl } from '../utils/shopify-emulator';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const LIMITED = 'shpat_orders_without_history';
const NO_CUSTOMERS = 'shpat_products_only';

interface OrdersPage {
  orders: { nodes: { createdAt: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('Shopify emulator: schema, auth, versions and scopes through @shopify/admin-api-client', () => {
  let emulator: ShopifyEmulator;

  beforeAll(async () => {
    emulator = await startShopifyEmulator({
      clock: () => NOW,
      limits: false,
      tokens: {
        [DEFAULT_TOKEN]: ['read_customers', 'read_orders', 'read_all_orders', 'read_products'],
        [LIMITED]: ['read_customers', 'read_orders', 'read_products'],
        [NO_CUSTOMERS]: ['read_products'],
      },
    });
  });
  beforeEach(() => shopifyControl(emulator, 'POST', '/reset', {}));
  afterAll(() => emulator.close());

  it('reads customers, orders with line items and products with variants with the client', async () => {
    const client = shopifyClient(emulator);
    const { data, errors, extensions } = await client.request(`
      query Read {
        customers(first: 3) { nodes { id email firstName tags numberOfOrders amountSpent { amount currencyCode } createdAt updatedAt } }
        orders(first: 2) { nodes { id name totalPriceSet { shopMoney { amount } } customer { id } lineItems(first: 5) { nodes { id sku quantity } } } }
        products(first: 2) { nodes { id title status variants(first: 5) { nodes { id sku price } } } }
      }`);
    expect(errors).toBeUndefined();
    expect(data.customers.nodes).toHaveLength(3);
    expect(data.customers.nodes[0]).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Customer\/\d+$/),
      email: expect.stringContaining('@'),
      firstName: expect.any(String),
      tags: expect.any(Array),
      numberOfOrders: expect.stringMatching(/^\d+$/),
      amountSpent: { amount: expect.stringMatching(/^\d+\.\d\d$/), currencyCode: 'USD' },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(data.orders.nodes[0].lineItems.nodes.length).toBeGreaterThan(0);
    expect(data.products.nodes[0].variants.nodes[0].id).toMatch(/^gid:\/\/shopify\/ProductVariant\//);
    expect(extensions?.cost).toMatchObject({
      requestedQueryCost: expect.any(Number),
      actualQueryCost: expect.any(Number),
    });
  });

  it('rejects queries that are not valid against the 2026-01 Admin schema with GraphQL errors and HTTP 200', async () => {
    const client = shopifyClient(emulator);
    const unknownField = await client.request('{ customers(first: 1) { nodes { id favouriteColour } } }');
    expect(unknownField.data).toBeUndefined();
    expect(unknownField.errors?.graphQLErrors?.[0].message).toBe(
      'Cannot query field "favouriteColour" on type "Customer".',
    );
    const wrongArgument = await rawGraphql(emulator, '{ orders(first: "ten") { nodes { id } } }');
    expect(wrongArgument.status).toBe(200);
    expect(wrongArgument.body.errors).toEqual([
      expect.objectContaining({ message: 'Int cannot represent non-integer value: "ten"' }),
    ]);
    const unknownRoot = await rawGraphql(emulator, '{ shopifyPayments { id } }');
    expect(unknownRoot.status).toBe(200);
    expect((unknownRoot.body.errors as { message: string }[])[0].message).toMatch(
      /^Cannot query field "shopifyPayments" on type "QueryRoot"/,
    );
    const syntax = await rawGraphql(emulator, '{ customers(first: 1) { nodes { id }');
    expect(syntax.status).toBe(200);
    expect((syntax.body.errors as { message: string }[])[0].message).toMatch(/^Syntax Error/);
  });

  it("answers a bad token with 401 and Shopify's body, which the client reports as Unauthorized", async () => {
    const raw = await rawGraphql(emulator, '{ shop { name } }', { token: 'shpat_wrong' });
    expect([raw.status, raw.body]).toEqual([
      401,
      { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
    ]);
    const { errors } = await shopifyClient(emulator, { accessToken: 'shpat_wrong' }).request('{ shop { name } }');
    expect(errors).toMatchObject({ networkStatusCode: 401, message: 'GraphQL Client: Unauthorized' });
  });

  it('serves a supported version as asked and falls an unknown or retired one forward, saying which in the header', async () => {
    expect(
      (await rawGraphql(emulator, '{ shop { name } }', { version: '2026-04' })).headers.get('x-shopify-api-version'),
    ).toBe('2026-04');
    expect(
      (await rawGraphql(emulator, '{ shop { name } }', { version: '2024-01' })).headers.get('x-shopify-api-version'),
    ).toBe('2026-01');
    const fallen = await rawGraphql(emulator, '{ shop { myshopifyDomain } }', { version: '1999-13' });
    expect([fallen.status, fallen.headers.get('x-shopify-api-version'), fallen.body.data]).toEqual([
      200,
      '2026-01',
      { shop: { myshopifyDomain: 'tributary-emu.myshopify.com' } },
    ]);
  });

  it('denies fields whose scope the token lacks with ACCESS_DENIED, and lists the granted scopes', async () => {
    const client = shopifyClient(emulator, { accessToken: NO_CUSTOMERS });
    const { errors } = await client.request('{ customers(first: 1) { nodes { id } } }');
    expect(errors?.graphQLErrors?.[0]).toMatchObject({
      message: 'Access denied for customers field. Required access: `read_customers` access scope.',
      extensions: { code: 'ACCESS_DENIED' },
      path: ['customers'],
    });
    const scopes = await client.request('{ currentAppInstallation { accessScopes { handle } } }');
    expect(scopes.data.currentAppInstallation.accessScopes).toEqual([{ handle: 'read_products' }]);
  });

  it('hides orders older than 60 days from a token without read_all_orders, in listings and lookups', async () => {
    const [old] = (
      await shopifyControl<{ ids: string[] }>(emulator, 'POST', '/objects/orders/create', { createdAt: NOW - 61 * DAY })
    ).ids;
    const [recent] = (
      await shopifyControl<{ ids: string[] }>(emulator, 'POST', '/objects/orders/create', { createdAt: NOW - 59 * DAY })
    ).ids;
    const all = shopifyClient(emulator);
    const limited = shopifyClient(emulator, { accessToken: LIMITED });
    const count = async (client: typeof all) => {
      const query = `query($cursor: String) { orders(first: 250, after: $cursor) { nodes { createdAt } pageInfo { hasNextPage endCursor } } }`;
      let cursor: string | null = null;
      const created: number[] = [];
      do {
        const page: OrdersPage = (await client.request(query, { variables: { cursor } })).data;
        created.push(...page.orders.nodes.map((node) => Date.parse(node.createdAt)));
        cursor = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
      } while (cursor);
      return created;
    };
    const everything = await count(all);
    const visible = await count(limited);
    expect(everything).toHaveLength(402);
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(everything.length);
    expect(visible.every((createdAt) => createdAt >= NOW - 60 * DAY)).toBe(true);
    const lookup = `query($old: ID!, $recent: ID!) { nodes(ids: [$old, $recent]) { id } }`;
    const ids = { old: `gid://shopify/Order/${old}`, recent: `gid://shopify/Order/${recent}` };
    expect((await limited.request(lookup, { variables: ids })).data.nodes).toEqual([null, { id: ids.recent }]);
    expect((await all.request(lookup, { variables: ids })).data.nodes).toEqual([{ id: ids.old }, { id: ids.recent }]);
  });

  it('looks records up by id and by GID, with inline fragments on node', async () => {
    const client = shopifyClient(emulator);
    const { data } = await client.request(
      '{ products(first: 1) { nodes { id variants(first: 1) { nodes { id } } } } }',
    );
    const product = data.products.nodes[0];
    const variantId = product.variants.nodes[0].id;
    const lookup = await client.request(
      `query($id: ID!, $variant: ID!) {
        product(id: $id) { id }
        node(id: $variant) { __typename ... on ProductVariant { id product { id } } }
        customer(id: "gid://shopify/Customer/1") { id }
      }`,
      { variables: { id: product.id, variant: variantId } },
    );
    expect(lookup.data).toEqual({
      product: { id: product.id },
      node: { __typename: 'ProductVariant', id: variantId, product: { id: product.id } },
      customer: null,
    });
  });
});
