// Shopify's webhook registration against the emulator, below the engine: the subscriptions at the source's address
// are read page by page (more than one page here), every one we do not keep is deleted, other addresses are left
// alone, and a refusal in userErrors becomes a ProviderError saying what Shopify said.
import { getIntrospectionQuery, graphqlSync } from 'graphql';
import type { ConnectorSettings } from '../../libs/connectors/src/core/connector';
import {
  SHOPIFY_WEBHOOK_TOPICS,
  replaceShopifyWebhookSubscriptions,
} from '../../libs/connectors/src/shopify/shopify.webhook-subscriptions';
import { DEFAULT_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import { adminSchema } from '../../emulators/shopify/src/schema';
import { rawGraphql } from '../utils/shopify-emulator';

const SHOP = 'tributary-emu.myshopify.com';
const URL_OF_SOURCE = 'http://127.0.0.1:9/webhooks/shopify/3f1d0c8e-0000-4000-8000-000000000001';
const ELSEWHERE = 'http://127.0.0.1:9/webhooks/shopify/3f1d0c8e-0000-4000-8000-000000000002';

/** Topics of the real schema that we do not subscribe to. */
function otherTopics(): string[] {
  const result = graphqlSync({ schema: adminSchema(), source: getIntrospectionQuery() });
  const types = (result.data as { __schema: { types: { name: string; enumValues?: { name: string }[] }[] } }).__schema
    .types;
  const topics = types.find((t) => t.name === 'WebhookSubscriptionTopic')!.enumValues!.map((v) => v.name);
  return topics.filter((t) => !(SHOPIFY_WEBHOOK_TOPICS as readonly string[]).includes(t));
}

describe('Shopify webhook subscriptions (connector → emulator)', () => {
  let emulator: ShopifyEmulator;
  let settings: ConnectorSettings;

  beforeAll(async () => {
    emulator = await startShopifyEmulator({ port: 0, customers: 1, orders: 1, products: 1, limits: false });
    settings = {
      shopify: { apiBaseUrl: emulator.url, costRate: { perSecond: 100, burst: 2000 } },
    } as ConnectorSettings;
  });
  afterAll(() => emulator.close());

  const subscribe = async (topic: string, uri: string): Promise<void> => {
    const answer = await rawGraphql(
      emulator,
      `mutation($topic: WebhookSubscriptionTopic!, $uri: String!) {
        webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri }) { userErrors { message } } }`,
      { variables: { topic, uri } },
    );
    expect(answer.body).toMatchObject({ data: { webhookSubscriptionCreate: { userErrors: [] } } });
  };

  it('deletes every other subscription at the address across pages, and leaves other addresses alone', async () => {
    const others = otherTopics().slice(0, 110);
    expect(others).toHaveLength(110);
    for (const topic of others) {
      await subscribe(topic, URL_OF_SOURCE);
    }
    await subscribe('CUSTOMERS_UPDATE', ELSEWHERE);

    const registered = await replaceShopifyWebhookSubscriptions(SHOP, DEFAULT_TOKEN, settings, URL_OF_SOURCE);
    expect(registered.replaced).toHaveLength(110);
    expect(registered.secret).toBeUndefined();
    const left = emulator.state.webhooks.subscriptions;
    expect(left.filter((s) => s.uri === URL_OF_SOURCE).map((s) => s.topic)).toEqual([...SHOPIFY_WEBHOOK_TOPICS]);
    expect(left.filter((s) => s.uri === ELSEWHERE).map((s) => s.topic)).toEqual(['CUSTOMERS_UPDATE']);
    expect(registered.endpointIds).toEqual(
      left.filter((s) => s.uri === URL_OF_SOURCE).map((s) => `gid://shopify/WebhookSubscription/${s.id}`),
    );
  });

  it('turns a refused subscription into a ProviderError naming the topic and Shopify’s reason', async () => {
    await expect(
      replaceShopifyWebhookSubscriptions(SHOP, DEFAULT_TOKEN, settings, 'ftp://127.0.0.1/webhooks'),
    ).rejects.toMatchObject({
      name: 'ProviderError',
      kind: 'invalid',
      message: expect.stringMatching(
        /^Shopify refused to subscribe ftp:\/\/127\.0\.0\.1\/webhooks to CUSTOMERS_CREATE: Address is invalid/,
      ),
    });
  });
});
