// Webhooks as Shopify sends them: subscribed with webhookSubscriptionCreate through @shopify/admin-api-client, one
// POST per event with REST-shaped bodies and Shopify's headers, X-Shopify-Hmac-Sha256 checked here by an
// independent HMAC over the raw body, duplicates carrying the same X-Shopify-Event-Id, retries, and
// bulk_operations/finish.
import type { AdminApiClient } from '@shopify/admin-api-client';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ShopifyEmulator, startShopifyEmulator, type WebhookAttempt } from '../../emulators/shopify/src';
import { shopifyClient, shopifyControl } from '../utils/shopify-emulator';

const SECRET = 'shopify-app-secret-for-tests';

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

const SUBSCRIBE = `mutation($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri }) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;

describe('Shopify emulator: signed webhooks', () => {
  let emulator: ShopifyEmulator;
  let client: AdminApiClient;
  let receiver: Server;
  let target: string;
  let received: Received[];
  let answer = 200;
  const subscribe = async (topic: string, uri = target) =>
    (await client.request(SUBSCRIBE, { variables: { topic, uri } })).data.webhookSubscriptionCreate as {
      webhookSubscription: { id: string; topic: string; uri: string } | null;
      userErrors: { field: string[]; message: string }[];
    };
  const flush = async () =>
    (await shopifyControl<{ attempts: WebhookAttempt[] }>(emulator, 'POST', '/webhooks/flush')).attempts;
  const bodies = () => received.map(({ raw }) => JSON.parse(raw.toString('utf8')) as Record<string, unknown>);

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, raw: Buffer.concat(chunks) });
        response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/shopify/source-1`;
    emulator = await startShopifyEmulator({ limits: false, webhooks: { secret: SECRET, backoffMs: 20 } });
    client = shopifyClient(emulator);
  });
  beforeEach(async () => {
    received = [];
    answer = 200;
    await shopifyControl(emulator, 'POST', '/reset', {});
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('subscribes with webhookSubscriptionCreate and refuses a blank or repeated address with userErrors', async () => {
    const created = await subscribe('CUSTOMERS_UPDATE');
    expect(created).toEqual({
      webhookSubscription: {
        id: expect.stringMatching(/^gid:\/\/shopify\/WebhookSubscription\/\d+$/),
        topic: 'CUSTOMERS_UPDATE',
        uri: target,
      },
      userErrors: [],
    });
    expect((await subscribe('CUSTOMERS_UPDATE')).userErrors).toEqual([
      { field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' },
    ]);
    expect((await subscribe('ORDERS_CREATE', '')).userErrors).toEqual([
      { field: ['webhookSubscription', 'uri'], message: "Address can't be blank" },
    ]);
    const { errors } = await client.request(SUBSCRIBE, { variables: { topic: 'CUSTOMERS_EXPLODE', uri: target } });
    expect(errors?.graphQLErrors?.[0].message).toMatch(
      /Value "CUSTOMERS_EXPLODE" does not exist in "WebhookSubscriptionTopic" enum/,
    );
  });

  it('lists subscriptions by uri and topics, pages them, and deletes one with webhookSubscriptionDelete', async () => {
    const other = `${target}-other`;
    const ours: string[] = [];
    for (const topic of ['CUSTOMERS_CREATE', 'ORDERS_DELETE', 'PRODUCTS_UPDATE']) {
      ours.push((await subscribe(topic)).webhookSubscription!.id);
    }
    await subscribe('CUSTOMERS_CREATE', other);
    const LIST = `query($uri: String, $topics: [WebhookSubscriptionTopic!], $after: String) {
      webhookSubscriptions(first: 2, uri: $uri, topics: $topics, after: $after) {
        nodes { id topic uri format filter includeFields } pageInfo { hasNextPage endCursor } } }`;
    type Listed = {
      nodes: { id: string; topic: string; uri: string; includeFields: string[] }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    const list = async (variables: object): Promise<Listed> => {
      const { data, errors } = await client.request(LIST, { variables });
      expect(errors).toBeUndefined();
      return data.webhookSubscriptions as Listed;
    };
    const first = await list({ uri: target });
    expect(first.nodes.map((n) => n.id)).toEqual(ours.slice(0, 2));
    expect(first.nodes[0]).toMatchObject({ uri: target, format: 'JSON', filter: null, includeFields: [] });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await list({ uri: target, after: first.pageInfo.endCursor });
    expect(second.nodes.map((n) => n.id)).toEqual([ours[2]]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await list({ topics: ['CUSTOMERS_CREATE'] })).nodes.map((n) => n.uri)).toEqual([target, other]);

    const one = await client.request(
      `query($id: ID!) { webhookSubscription(id: $id) { id topic } node(id: $id) { ... on WebhookSubscription { uri } } }`,
      { variables: { id: ours[1] } },
    );
    expect(one.data).toEqual({ webhookSubscription: { id: ours[1], topic: 'ORDERS_DELETE' }, node: { uri: target } });

    const DELETE = `mutation($id: ID!) { webhookSubscriptionDelete(id: $id) {
      deletedWebhookSubscriptionId userErrors { field message } } }`;
    const deleted = await client.request(DELETE, { variables: { id: ours[0] } });
    expect(deleted.data.webhookSubscriptionDelete).toEqual({ deletedWebhookSubscriptionId: ours[0], userErrors: [] });
    const again = await client.request(DELETE, { variables: { id: ours[0] } });
    expect(again.data.webhookSubscriptionDelete.userErrors).toEqual([
      { field: ['id'], message: 'Webhook subscription does not exist' },
    ]);
    expect((await list({ uri: target })).nodes.map((n) => n.id)).toEqual(ours.slice(1));
    // A change to a topic no longer subscribed at the address is not sent there.
    await shopifyControl(emulator, 'POST', '/objects/customers/create', {});
    const attempts = await flush();
    expect(attempts.filter((a) => a.topic === 'customers/create').map((a) => a.url)).toEqual([other]);
  });

  it("signs each delivery with base64 HMAC-SHA256 of the raw body and sends Shopify's headers", async () => {
    await subscribe('CUSTOMERS_UPDATE');
    const [id] = (
      await shopifyControl<{ ids: string[] }>(emulator, 'POST', '/objects/customers/update', {
        first: 1,
        set: { note: 'Called about a refund', tags: ['vip'] },
      })
    ).ids;
    await flush();
    expect(received).toHaveLength(1);
    const [{ headers, raw }] = received;
    expect(headers['x-shopify-hmac-sha256']).toBe(createHmac('sha256', SECRET).update(raw).digest('base64'));
    expect(headers['x-shopify-hmac-sha256']).not.toBe(
      createHmac('sha256', 'another-secret').update(raw).digest('base64'),
    );
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'x-shopify-topic': 'customers/update',
      'x-shopify-shop-domain': 'tributary-emu.myshopify.com',
      'x-shopify-api-version': '2026-01',
      'x-shopify-webhook-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'x-shopify-event-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'x-shopify-triggered-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(bodies()[0]).toMatchObject({
      id: Number(id),
      admin_graphql_api_id: `gid://shopify/Customer/${id}`,
      note: 'Called about a refund',
      tags: 'vip',
      email: expect.stringContaining('@'),
      updated_at: expect.any(String),
    });
  });

  it('sends REST-shaped bodies for orders/updated, products/update and the delete topics, only to their subscribers', async () => {
    for (const topic of ['ORDERS_UPDATED', 'PRODUCTS_UPDATE', 'PRODUCTS_DELETE', 'ORDERS_DELETE']) {
      await subscribe(topic);
    }
    const [order] = (
      await shopifyControl<{ ids: string[] }>(emulator, 'POST', '/objects/orders/update', {
        first: 1,
        set: { tags: ['gift'] },
      })
    ).ids;
    const [product] = (
      await shopifyControl<{ ids: string[] }>(emulator, 'POST', '/objects/products/update', {
        first: 1,
        set: { status: 'DRAFT' },
      })
    ).ids;
    await shopifyControl(emulator, 'POST', '/objects/products/delete', { ids: [product] });
    await shopifyControl(emulator, 'POST', '/objects/customers/update', { first: 1, set: { note: 'no one listens' } });
    await flush();
    const byTopic = Object.fromEntries(
      received.map(({ headers, raw }) => [headers['x-shopify-topic'], JSON.parse(raw.toString())]),
    );
    expect(Object.keys(byTopic).sort()).toEqual(['orders/updated', 'products/delete', 'products/update']);
    expect(byTopic['orders/updated']).toMatchObject({
      id: Number(order),
      name: expect.stringMatching(/^#\d+$/),
      tags: 'gift',
      total_price: expect.stringMatching(/^\d+\.\d\d$/),
      line_items: expect.arrayContaining([
        expect.objectContaining({ product_id: expect.any(Number), variant_id: expect.any(Number) }),
      ]),
    });
    expect(byTopic['products/update']).toMatchObject({
      id: Number(product),
      status: 'draft',
      variants: expect.any(Array),
    });
    expect(byTopic['products/delete']).toEqual({ id: Number(product) });
  });

  it('delivers duplicates on demand with the same X-Shopify-Event-Id and a new webhook id, and retries failures', async () => {
    await subscribe('CUSTOMERS_CREATE');
    await shopifyControl(emulator, 'POST', '/objects/customers/create', {});
    await flush();
    const { sent } = await shopifyControl<{ sent: number }>(emulator, 'POST', '/webhooks/redeliver', {});
    expect(sent).toBe(1);
    await flush();
    expect(received).toHaveLength(2);
    expect(received[1].headers['x-shopify-event-id']).toBe(received[0].headers['x-shopify-event-id']);
    expect(received[1].headers['x-shopify-webhook-id']).not.toBe(received[0].headers['x-shopify-webhook-id']);
    expect(received[1].raw.equals(received[0].raw)).toBe(true);

    received = [];
    await shopifyControl(emulator, 'POST', '/webhooks', { duplicate: true });
    await shopifyControl(emulator, 'POST', '/objects/customers/create', {});
    await flush();
    expect(new Set(received.map(({ headers }) => headers['x-shopify-event-id'])).size).toBe(1);
    expect(received).toHaveLength(2);
    await shopifyControl(emulator, 'POST', '/webhooks', { duplicate: false });

    received = [];
    answer = 500;
    await shopifyControl(emulator, 'POST', '/objects/customers/create', {});
    const attempts = (await flush()).filter((attempt) => attempt.topic === 'customers/create').slice(-3);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
    expect(new Set(received.map(({ headers }) => headers['x-shopify-webhook-id'])).size).toBe(1);
  });

  it('sends bulk_operations/finish when a bulk query completes', async () => {
    await subscribe('BULK_OPERATIONS_FINISH');
    const { data } = await client.request(
      'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }", groupObjects: false) { bulkOperation { id } } }',
    );
    const id = data.bulkOperationRunQuery.bulkOperation.id as string;
    const deadline = Date.now() + 5000;
    while (received.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await flush();
    expect(received[0].headers['x-shopify-topic']).toBe('bulk_operations/finish');
    expect(bodies()[0]).toEqual({
      admin_graphql_api_id: id,
      completed_at: expect.any(String),
      created_at: expect.any(String),
      error_code: null,
      status: 'completed',
      type: 'query',
    });
  });
});
