import type { ClientResponse, GraphQLError } from '@shopify/admin-api-client';
import { ProviderError } from '../core/provider-error';

const PROVIDER = 'shopify';

/** Shopify's cost figures on every answer (cloud-apis.md §3.3); absent fields stay undefined. */
export interface ShopifyCost {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: { maximumAvailable?: number; currentlyAvailable?: number; restoreRate?: number };
}

/** What one answer means for the caller: data, wait and send again, or a refusal. */
export type ShopifyOutcome<T> =
  | { ok: true; data: T }
  | { ok: false; retryAfterMs: number; error: ProviderError }
  | { ok: false; error: ProviderError };

/**
 * Classifies one answer of the client (its `errors` hold both HTTP failures and GraphQL errors). Messages are
 * our own words plus Shopify's GraphQL messages, which name fields and scopes, never the token.
 */
export function classifyShopifyAnswer<T>(answer: ClientResponse<T>, shopDomain: string): ShopifyOutcome<T> {
  const errors = answer.errors;
  if (!errors) {
    return answer.data === undefined
      ? { ok: false, error: new ProviderError('transient', 'Shopify answered without data', PROVIDER) }
      : { ok: true, data: answer.data };
  }
  if (errors.networkStatusCode !== undefined && errors.networkStatusCode !== 200) {
    return httpFailure(errors.networkStatusCode, errors.response, shopDomain);
  }
  const graphQLErrors = errors.graphQLErrors ?? [];
  if (graphQLErrors.length === 0) {
    // No status and no GraphQL errors: the request never got an answer (connection refused, reset, timeout).
    return {
      ok: false,
      error: new ProviderError(
        'transient',
        `Shopify could not be reached (${errors.message ?? 'no answer'})`,
        PROVIDER,
      ),
    };
  }
  return graphQLFailure(graphQLErrors, answer.extensions?.cost);
}

function httpFailure(status: number, response: Response | undefined, shopDomain: string): ShopifyOutcome<never> {
  if (status === 401) {
    const message = `Shopify refused the access token for ${shopDomain} (401): set a valid Admin API access token`;
    return { ok: false, error: new ProviderError('auth', message, PROVIDER, status) };
  }
  if (status === 402 || status === 403 || status === 423) {
    // 402: the shop's plan is unpaid (frozen); 423: the shop is locked; 403: the app may not call it.
    const message = `Shopify refused access to ${shopDomain} (${status}): the shop is frozen, locked or the app lacks access`;
    return { ok: false, error: new ProviderError('permission', message, PROVIDER, status) };
  }
  if (status === 404) {
    const message = `Shopify has no shop at ${shopDomain} (404): check the shop domain`;
    return { ok: false, error: new ProviderError('auth', message, PROVIDER, status) };
  }
  if (status === 429) {
    // Retry-After is in seconds, e.g. "2.0" (the client itself would read it as milliseconds, §3.7).
    const seconds = Number.parseFloat(response?.headers.get('retry-after') ?? '');
    const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000;
    const error = new ProviderError(
      'rate_limited',
      'Shopify throttled the shop (429)',
      PROVIDER,
      status,
      undefined,
      retryAfterMs,
    );
    return { ok: false, retryAfterMs, error };
  }
  const kind = status >= 500 ? 'transient' : 'invalid';
  return { ok: false, error: new ProviderError(kind, `Shopify answered HTTP ${status}`, PROVIDER, status) };
}

function graphQLFailure(errors: GraphQLError[], cost: ShopifyCost | undefined): ShopifyOutcome<never> {
  const [first] = errors;
  const code = first.extensions?.code;
  if (code === 'THROTTLED') {
    const retryAfterMs = throttledWaitMs(cost);
    const error = new ProviderError(
      'rate_limited',
      'Shopify throttled the query (THROTTLED)',
      PROVIDER,
      200,
      code,
      retryAfterMs,
    );
    return { ok: false, retryAfterMs, error };
  }
  if (code === 'ACCESS_DENIED') {
    return { ok: false, error: new ProviderError('permission', `Shopify: ${first.message}`, PROVIDER, 200, code) };
  }
  if (code === 'INTERNAL_SERVER_ERROR') {
    return {
      ok: false,
      error: new ProviderError('transient', 'Shopify failed on its side (INTERNAL_SERVER_ERROR)', PROVIDER, 200, code),
    };
  }
  // A query we built was refused (validation, MAX_COST_EXCEEDED, PAGINATION_DEPTH_EXCEEDED): a bug on our side.
  return {
    ok: false,
    error: new ProviderError('invalid', `Shopify refused the query: ${first.message}`, PROVIDER, 200, code),
  };
}

/** How long until the shop's bucket holds the requested cost again, from the throttle status (at least 100 ms). */
export function throttledWaitMs(cost: ShopifyCost | undefined): number {
  const requested = cost?.requestedQueryCost ?? 0;
  const available = cost?.throttleStatus?.currentlyAvailable ?? 0;
  const restoreRate = cost?.throttleStatus?.restoreRate ?? 0;
  if (!(restoreRate > 0)) {
    return 1000;
  }
  return Math.max(100, Math.ceil(((requested - available) / restoreRate) * 1000));
}
