// Registering a Shopify source's webhooks (issue 14 point 4): registerSourceWebhook → the registration workflow →
// its activity on the source's queue → webhookSubscriptionCreate / webhookSubscriptions / webhookSubscriptionDelete
// at the emulator (every document checked against the real 2026-01 schema). One subscription per topic at the
// source's webhookUrl; registering again leaves the same set; Shopify signs with the app's client secret, so the
// stored webhookSecret is kept; refusals are BAD_USER_INPUT saying what to fix; no token or secret in GraphQL
// answers, the api's log or the registration's Temporal history (only ids cross).
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { ALL_SCOPES, DEFAULT_TOKEN } from '../../emulators/shopify/src';
import { queryTestDb, requiredEnv } from '../utils/database';
import { gql } from '../utils/gql';
import { readableText } from '../utils/history';
import * as op from '../utils/operations';
import { rawGraphql } from '../utils/shopify-emulator';
import { servedWithin } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

const SHOP = 'tributary-emu.myshopify.com';
const SECRET = 'shpss_registration_test_app_secret';
const CUSTOMERS_ONLY = 'shpat_customers_only_token_0000';
const PUBLIC_URL = 'http://127.0.0.1:3999';
const TOPICS = [
  'CUSTOMERS_CREATE',
  'CUSTOMERS_UPDATE',
  'CUSTOMERS_DELETE',
  'ORDERS_CREATE',
  'ORDERS_UPDATED',
  'ORDERS_DELETE',
  'PRODUCTS_CREATE',
  'PRODUCTS_UPDATE',
  'PRODUCTS_DELETE',
];

interface Subscription {
  id: string;
  topic: string;
  uri: string;
  filter: string | null;
}

describe('Shopify webhook registration (api → workflow → emulator)', () => {
  const KEYS = `v1:${randomBytes(32).toString('base64')}`;
  let stack: SyncStack;
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 1,
      shopify: {
        customers: 5,
        orders: 5,
        products: 5,
        limits: false,
        shopDomain: SHOP,
        tokens: { [DEFAULT_TOKEN]: ALL_SCOPES, [CUSTOMERS_ONLY]: ['read_customers'] },
        webhooks: { secret: SECRET, retries: 0, backoffMs: 10, duplicate: false },
      },
      apiEnv: { ENCRYPTION_KEYS: KEYS, INGEST_PUBLIC_URL: PUBLIC_URL },
    });
    connection = await Connection.connect({ address: requiredEnv('TEST_TEMPORAL_ADDRESS') });
    temporal = new Client({ connection });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await stack?.close();
  });

  const createShop = async (name: string, shopify: Record<string, string>): Promise<string> => {
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name, kind: 'SHOPIFY', environment: 'PRODUCTION' },
    });
    const sourceId = createSource.id as string;
    await stack.call(op.SET_CREDENTIALS, { input: { sourceId, shopify: { shopDomain: SHOP, ...shopify } } });
    await servedWithin(stack, sourceId, true, 10_000);
    return sourceId;
  };

  /** The emulator's subscriptions at `uri`, through the Admin API itself. */
  const subscriptionsAt = async (uri: string): Promise<Subscription[]> => {
    const answer = await rawGraphql(
      stack.shopify!,
      `query($uri: String) { webhookSubscriptions(first: 50, uri: $uri) { nodes { id topic uri filter } } }`,
      { variables: { uri } },
    );
    return (answer.body as { data: { webhookSubscriptions: { nodes: Subscription[] } } }).data.webhookSubscriptions
      .nodes;
  };

  const subscribeByHand = async (topic: string, uri: string, filter?: string): Promise<string> => {
    const answer = await rawGraphql(
      stack.shopify!,
      `mutation($topic: WebhookSubscriptionTopic!, $input: WebhookSubscriptionInput!) {
        webhookSubscriptionCreate(topic: $topic, webhookSubscription: $input) {
          webhookSubscription { id } userErrors { message } } }`,
      { variables: { topic, input: { uri, ...(filter ? { filter } : {}) } } },
    );
    const created = (answer.body as { data: { webhookSubscriptionCreate: { webhookSubscription: { id: string } } } })
      .data.webhookSubscriptionCreate;
    return created.webhookSubscription.id;
  };

  it('subscribes the source’s webhookUrl to each topic, keeps the app secret, and passes only ids to Temporal', async () => {
    const sourceId = await createShop('Shop, registered', { accessToken: DEFAULT_TOKEN, webhookSecret: SECRET });
    const sealedBefore = await sealedOf(sourceId);
    const { registerSourceWebhook } = await stack.call(op.REGISTER_SOURCE_WEBHOOK, { sourceId });
    const url = `${PUBLIC_URL}/webhooks/shopify/${sourceId}`;
    const { source } = await stack.call('query($id: ID!) { source(id: $id) { webhookUrl } }', { id: sourceId });
    expect(source.webhookUrl).toBe(url);

    const at = await subscriptionsAt(url);
    expect(at.map((s) => s.topic)).toEqual(TOPICS);
    expect(registerSourceWebhook).toEqual({
      endpointId: at[0].id,
      endpointIds: at.map((s) => s.id),
      url,
      replacedEndpoints: 0,
    });
    // No secret came back from Shopify: the sealed credentials (and so the app secret) are untouched.
    expect(await sealedOf(sourceId)).toBe(sealedBefore);

    const handle = temporal.workflow.getHandle(`webhook:${sourceId}`);
    const history = await handle.fetchHistory();
    const started = history.events![0].workflowExecutionStartedEventAttributes!;
    expect(started.input!.payloads!.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      { sourceId, url, scheduleToStartTimeoutMs: expect.any(Number) },
    ]);
    const scheduled = history.events!.find(
      (e) => e.activityTaskScheduledEventAttributes,
    )!.activityTaskScheduledEventAttributes!;
    expect(scheduled.input!.payloads!.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ sourceId, url }]);
    const text = readableText(history).join('\n');
    expect(text).not.toContain(DEFAULT_TOKEN);
    expect(text).not.toContain(SECRET);
    const logs = [...stack.api.logs, ...stack.workerLogs].join('\n');
    expect(logs).not.toMatch(new RegExp(`${DEFAULT_TOKEN}|${SECRET}`));
  });

  it('registering again keeps the same subscriptions, and replaces a filtered one and a topic we do not use', async () => {
    const sourceId = await createShop('Shop, again', { accessToken: DEFAULT_TOKEN, webhookSecret: SECRET });
    const url = `${PUBLIC_URL}/webhooks/shopify/${sourceId}`;
    const first = (await stack.call(op.REGISTER_SOURCE_WEBHOOK, { sourceId })).registerSourceWebhook;
    const second = (await stack.call(op.REGISTER_SOURCE_WEBHOOK, { sourceId })).registerSourceWebhook;
    expect(second).toEqual({ ...first, replacedEndpoints: 0 });
    expect((await subscriptionsAt(url)).map((s) => s.id)).toEqual(first.endpointIds);

    // By hand at the same address: ORDERS_UPDATED narrowed by a filter (in place of ours), and ORDERS_PAID.
    const ordersUpdated = first.endpointIds[TOPICS.indexOf('ORDERS_UPDATED')] as string;
    await rawGraphql(
      stack.shopify!,
      'mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId } }',
      { variables: { id: ordersUpdated } },
    );
    const filtered = await subscribeByHand('ORDERS_UPDATED', url, 'financial_status:paid');
    const paid = await subscribeByHand('ORDERS_PAID', url);
    const third = (await stack.call(op.REGISTER_SOURCE_WEBHOOK, { sourceId })).registerSourceWebhook;
    expect(third.replacedEndpoints).toBe(2);
    const at = await subscriptionsAt(url);
    expect(at.map((s) => s.topic).sort()).toEqual([...TOPICS].sort());
    expect(at.every((s) => s.filter === null)).toBe(true);
    expect(at.map((s) => s.id)).not.toEqual(expect.arrayContaining([filtered]));
    expect(at.map((s) => s.id)).not.toEqual(expect.arrayContaining([paid]));
    expect(third.endpointIds.filter((id: string) => !first.endpointIds.includes(id))).toHaveLength(1);
  });

  it('refuses, saying what to fix: no app secret, a token Shopify rejects, a missing scope, a HubSpot source', async () => {
    const noSecret = await createShop('Shop, no secret', { accessToken: DEFAULT_TOKEN });
    const unsigned = await gql(stack.api.url, op.REGISTER_SOURCE_WEBHOOK, { sourceId: noSecret }, stack.token);
    expect(unsigned.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(/client secret.*set shopify\.webhookSecret with setSourceCredentials/),
    });
    expect(await subscriptionsAt(`${PUBLIC_URL}/webhooks/shopify/${noSecret}`)).toEqual([]);

    const badToken = 'shpat_not_a_token_of_this_shop_1234';
    const rejected = await createShop('Shop, bad token', { accessToken: badToken, webhookSecret: SECRET });
    const refused = await gql(stack.api.url, op.REGISTER_SOURCE_WEBHOOK, { sourceId: rejected }, stack.token);
    expect(refused.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(/refused the access token .*set a valid Admin API access token/),
    });
    expect(JSON.stringify(refused)).not.toContain(badToken);
    const history = await temporal.workflow.getHandle(`webhook:${rejected}`).fetchHistory();
    expect(readableText(history).join('\n')).not.toMatch(new RegExp(`${badToken}|${SECRET}`));

    const narrow = await createShop('Shop, customers only', { accessToken: CUSTOMERS_ONLY, webhookSecret: SECRET });
    const scoped = await gql(stack.api.url, op.REGISTER_SOURCE_WEBHOOK, { sourceId: narrow }, stack.token);
    expect(scoped.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(/read_orders/),
    });

    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'CRM', kind: 'HUBSPOT', environment: 'PRODUCTION' },
    });
    const hubspot = await gql(stack.api.url, op.REGISTER_SOURCE_WEBHOOK, { sourceId: createSource.id }, stack.token);
    expect(hubspot.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(/HubSpot webhooks are set up in HubSpot itself/),
    });
    const logs = [...stack.api.logs, ...stack.workerLogs].join('\n');
    expect(logs).toMatch(/refused the access token/); // the worker logged the refusal, in our words only
    expect(logs).not.toMatch(new RegExp(`${badToken}|${SECRET}`));
  });
});

async function sealedOf(sourceId: string): Promise<string> {
  const [row] = await queryTestDb<{ sealed: string }>('SELECT sealed FROM source_credentials WHERE source_id = $1', [
    sourceId,
  ]);
  return row.sealed;
}
