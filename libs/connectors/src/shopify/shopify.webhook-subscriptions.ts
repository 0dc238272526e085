import type { ConnectorSettings } from '../core/connector';
import type { RegisteredWebhook } from '../core/connector-definition';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { type ShopifyRequest, createShopifyRequest } from './shopify.client';

/**
 * What a Shopify source subscribes to: creates, updates and deletes of the objects we sync (the 2026-01
 * schema's WebhookSubscriptionTopic names; orders' update topic is ORDERS_UPDATED). orders/updated also
 * covers payments, fulfilments and cancellations.
 */
export const SHOPIFY_WEBHOOK_TOPICS = [
  'CUSTOMERS_CREATE',
  'CUSTOMERS_UPDATE',
  'CUSTOMERS_DELETE',
  'ORDERS_CREATE',
  'ORDERS_UPDATED',
  'ORDERS_DELETE',
  'PRODUCTS_CREATE',
  'PRODUCTS_UPDATE',
  'PRODUCTS_DELETE',
] as const;

interface Subscription {
  id: string;
  topic: string;
  format: string;
  filter: string | null;
  includeFields: string[];
}

interface SubscriptionPage {
  nodes: Subscription[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface UserError {
  field: string[] | null;
  message: string;
}

const LIST = `query WebhookSubscriptionsAt($uri: String!, $after: String) {
  webhookSubscriptions(first: 100, uri: $uri, after: $after) {
    nodes { id topic format filter includeFields }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CREATE = `mutation SubscribeWebhook($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) {
    webhookSubscription { id }
    userErrors { field message }
  }
}`;

const DELETE = `mutation UnsubscribeWebhook($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`;

// A dozen requests on an admin's demand: they skip the shop's shared budget (a sync's pacing is not worth
// waiting for), and a THROTTLED answer is still waited out by the request itself.
const UNMETERED: RequestBudget = { take: () => Promise.resolve() };

/**
 * Subscribes `url` to SHOPIFY_WEBHOOK_TOPICS and removes every other subscription at that URL (the source's
 * own address), so registering again leaves the same set. A subscription already there for a topic, plain
 * JSON without filter or field list, is kept: Shopify refuses a second one for the same topic and address,
 * and keeping it means no delivery is missed. Shopify signs with the app's client secret, so no secret
 * comes back: the source's webhookSecret must hold it.
 */
export async function replaceShopifyWebhookSubscriptions(
  shopDomain: string,
  accessToken: string,
  settings: ConnectorSettings,
  url: string,
  signal?: AbortSignal,
): Promise<RegisteredWebhook> {
  const request = createShopifyRequest(shopDomain, accessToken, settings, UNMETERED);
  const existing = await listAt(request, url, signal);
  const endpointIds: string[] = [];
  const replaced: string[] = [];
  for (const topic of SHOPIFY_WEBHOOK_TOPICS) {
    const same = existing.filter((each) => each.topic === topic);
    const kept = same.find(isPlain);
    if (kept) {
      endpointIds.push(kept.id);
      continue;
    }
    // A filtered or trimmed one holds the topic at this address: it goes first.
    for (const blocking of same) {
      await unsubscribe(request, blocking.id, signal);
      replaced.push(blocking.id);
    }
    endpointIds.push(await subscribe(request, topic, url, signal));
  }
  for (const other of existing.filter((each) => !(SHOPIFY_WEBHOOK_TOPICS as readonly string[]).includes(each.topic))) {
    await unsubscribe(request, other.id, signal);
    replaced.push(other.id);
  }
  return { endpointIds, replaced };
}

function isPlain(subscription: Subscription): boolean {
  return subscription.format === 'JSON' && !subscription.filter && subscription.includeFields.length === 0;
}

async function listAt(request: ShopifyRequest, uri: string, signal?: AbortSignal): Promise<Subscription[]> {
  const found: Subscription[] = [];
  let after: string | null = null;
  do {
    const { webhookSubscriptions: page }: { webhookSubscriptions: SubscriptionPage } = await request(
      LIST,
      { uri, after },
      signal,
    );
    found.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return found;
}

async function subscribe(request: ShopifyRequest, topic: string, uri: string, signal?: AbortSignal): Promise<string> {
  const { webhookSubscriptionCreate: answer } = await request<{
    webhookSubscriptionCreate: { webhookSubscription: { id: string } | null; userErrors: UserError[] };
  }>(CREATE, { topic, uri }, signal);
  if (!answer.webhookSubscription) {
    throw refused(`Shopify refused to subscribe ${uri} to ${topic}`, answer.userErrors);
  }
  return answer.webhookSubscription.id;
}

async function unsubscribe(request: ShopifyRequest, id: string, signal?: AbortSignal): Promise<void> {
  const { webhookSubscriptionDelete: answer } = await request<{
    webhookSubscriptionDelete: { deletedWebhookSubscriptionId: string | null; userErrors: UserError[] };
  }>(DELETE, { id }, signal);
  // Gone already (a registration racing this one, or deleted by hand): what we wanted.
  const gone = answer.userErrors.every((error) => /does not exist/i.test(error.message));
  if (!answer.deletedWebhookSubscriptionId && !gone) {
    throw refused(`Shopify refused to delete the webhook subscription ${id}`, answer.userErrors);
  }
}

// userErrors name the field and what is wrong with the address or topic, never the token.
function refused(what: string, errors: UserError[]): ProviderError {
  const reasons = errors.map((error) => error.message).join('; ') || 'no reason given';
  return new ProviderError(
    'invalid',
    `${what}: ${reasons}. The address is the source's webhookUrl (INGEST_PUBLIC_URL + /webhooks/shopify/<id>), ` +
      'which Shopify must reach over https',
    'shopify',
    200,
  );
}
