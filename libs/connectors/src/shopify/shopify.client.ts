import { type AdminApiClient, createAdminApiClient } from '@shopify/admin-api-client';
import type { ConnectorSettings } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { type ShopifyCost, classifyShopifyAnswer } from './shopify.errors';

/** The Admin GraphQL API version every request names: the one place it is pinned. */
export const SHOPIFY_API_VERSION = '2026-01';

/**
 * Bulk query jobs one shop runs at once on the pinned version (5 from 2026-01, 1 before; cloud-apis.md §3.4): the
 * shop's bulk slots, shared by every source and worker on it.
 */
export const SHOPIFY_BULK_QUERY_SLOTS = 5;

/** A shop's own domain, and nothing else (no request may go to a host an admin typed). */
export const SHOP_DOMAIN_PATTERN = /^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$/;

// THROTTLED and 429 answers are waited out and sent again this many times before the activity gets the error
// (it retries later; the waits come from Shopify's own figures, so more rarely helps).
const MAX_ATTEMPTS = 6;
// A query's cost before Shopify first tells us (the budget learns each query's requested cost from its answers).
const FIRST_GUESS_COST = 1;
// Each query's requested cost as Shopify last reported it, for the whole process: connectors are opened per
// activity, and one that guessed 1 point for its first query would send it whatever the shop's bucket held
// (THROTTLED). The connector builds a few dozen query texts; the bound only guards against a leak.
const REQUESTED_COSTS = new Map<string, number>();
const MAX_REMEMBERED_COSTS = 1000;

/**
 * One GraphQL request to the shop: its `data`. Throws ProviderError for HTTP failures, GraphQL errors and
 * ACCESS_DENIED; waits and sends again after THROTTLED (HTTP 200) and 429; takes the shop's cost budget first.
 */
export type ShopifyRequest = <T>(
  query: string,
  variables?: Record<string, unknown>,
  signal?: AbortSignal,
) => Promise<T>;

/**
 * The official client for one shop (its retries off: they would read Retry-After as milliseconds and never retry
 * THROTTLED, §3.7), sending to SHOPIFY_API_BASE_URL when set (the emulator) or the shop's own https origin.
 * Before each request the budget takes the query's requested cost as Shopify last reported it (Shopify refuses a
 * query unless its bucket holds that much); after it, the budget is settled with what Shopify charged and holds.
 */
export function createShopifyRequest(
  shopDomain: string,
  accessToken: string,
  settings: ConnectorSettings,
  budget: RequestBudget,
): ShopifyRequest {
  const exchange = createShopifyExchange(shopDomain, accessToken, settings, budget);
  return async <T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T> =>
    (await exchange<T>(query, variables, signal)).data;
}

/** Like ShopifyRequest, with the answer's headers (its Date is the shop's clock). */
export type ShopifyExchange = <T>(
  query: string,
  variables?: Record<string, unknown>,
  signal?: AbortSignal,
) => Promise<{ data: T; headers: Headers | undefined }>;

export function createShopifyExchange(
  shopDomain: string,
  accessToken: string,
  settings: ConnectorSettings,
  budget: RequestBudget,
): ShopifyExchange {
  const client = createShopifyClient(shopDomain, accessToken, settings.shopify.apiBaseUrl);
  return async <T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal) => {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const key = costKey(query, variables);
      const taken = REQUESTED_COSTS.get(key) ?? FIRST_GUESS_COST;
      await budget.take(undefined, taken);
      signal?.throwIfAborted();
      const answer = await client.request<T>(query, { variables, signal });
      await settleCost(budget, key, taken, answer.extensions?.cost);
      const outcome = classifyShopifyAnswer(answer, shopDomain);
      if (outcome.ok) {
        return { data: outcome.data, headers: answer.headers };
      }
      if (!('retryAfterMs' in outcome) || attempt >= MAX_ATTEMPTS) {
        throw outcome.error;
      }
      await sleep(outcome.retryAfterMs, signal);
    }
  };
}

/** Downloads a bulk result URL Shopify gave. */
export type ShopifyFetchFile = (url: string, signal?: AbortSignal) => Promise<Response>;

/**
 * Downloads bulk results: the https URL Shopify signed on its storage, or, with SHOPIFY_API_BASE_URL set (the
 * emulator), that URL's path on the configured origin, as every API request goes there. No token goes along:
 * the URL is signed.
 */
export function createShopifyFileFetch(apiBaseUrl: string | null): ShopifyFetchFile {
  const origin = apiBaseUrl?.replace(/\/+$/, '') ?? null;
  return (url, signal) => {
    const parsed = new URL(url);
    if (origin !== null) {
      return fetch(`${origin}${parsed.pathname}${parsed.search}`, { signal });
    }
    if (parsed.protocol !== 'https:') {
      throw new ProviderError('transient', 'Shopify gave a bulk result URL that is not https', 'shopify');
    }
    return fetch(parsed, { signal });
  };
}

/**
 * Brings the shop's budget in line with what Shopify reported: it required the requested cost up front but
 * charged the actual cost (nothing for THROTTLED), so the difference goes back; an answer charging more than
 * was taken takes the rest; and the budget holds no more than Shopify's `currentlyAvailable` (another app on the
 * shop spends too). Without cost figures (HTTP failures) what was taken stays taken.
 */
export async function settleCost(
  budget: RequestBudget,
  key: string,
  taken: number,
  cost: ShopifyCost | undefined,
): Promise<void> {
  const requested = cost?.requestedQueryCost;
  if (typeof requested !== 'number' || !(requested > 0)) {
    return;
  }
  rememberRequestedCost(key, requested);
  const actual = cost?.actualQueryCost;
  const charged = typeof actual === 'number' && actual >= 0 ? actual : 0; // null: throttled, not charged
  if (charged > taken) {
    await budget.take(undefined, charged - taken);
  }
  const available = cost?.throttleStatus?.currentlyAvailable;
  await budget.settle?.(undefined, {
    refund: Math.max(0, taken - charged),
    ...(typeof available === 'number' ? { available } : {}),
  });
}

/** A query's requested cost depends on its text and page size (`first`/`last`), not on its cursor or filter. */
function costKey(query: string, variables: Record<string, unknown> | undefined): string {
  const size = variables?.first ?? variables?.last;
  return typeof size === 'number' ? `${size}:${query}` : query;
}

function rememberRequestedCost(key: string, requested: number): void {
  if (REQUESTED_COSTS.size >= MAX_REMEMBERED_COSTS && !REQUESTED_COSTS.has(key)) {
    REQUESTED_COSTS.clear();
  }
  REQUESTED_COSTS.set(key, requested);
}

/** The client for one shop; `apiBaseUrl` null: the shop's own origin. */
export function createShopifyClient(
  shopDomain: string,
  accessToken: string,
  apiBaseUrl: string | null,
): AdminApiClient {
  if (!SHOP_DOMAIN_PATTERN.test(shopDomain)) {
    throw new ProviderError('invalid', 'The shop domain must be <name>.myshopify.com', 'shopify');
  }
  const origin = apiBaseUrl?.replace(/\/+$/, '') ?? `https://${shopDomain}`;
  return createAdminApiClient({
    storeDomain: shopDomain,
    apiVersion: SHOPIFY_API_VERSION,
    accessToken,
    retries: 0,
    // The client builds https://<shop>/admin/api/<version>/graphql.json; the path is kept and sent to the
    // configured origin, so the emulator (plain http) is reached and no other host ever is.
    customFetchApi: (url, init) => fetch(`${origin}${pathOf(url, shopDomain)}`, init),
  });
}

function pathOf(url: string, shopDomain: string): string {
  const parsed = new URL(url);
  if (parsed.host !== shopDomain) {
    throw new ProviderError('invalid', 'The Shopify client built a URL for another host', 'shopify');
  }
  return `${parsed.pathname}${parsed.search}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('The Shopify request was aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
