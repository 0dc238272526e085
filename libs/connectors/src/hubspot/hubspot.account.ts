import type { ConnectorSettings } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { AccountLimit } from '../core/request-budget';
import { callHubSpot, createHubSpotClient } from './hubspot.client';
import { classifyHubSpotError } from './hubspot.errors';

const UNBUDGETED = { take: (): Promise<void> => Promise.resolve() };

/**
 * HubSpot limits requests per portal, so the budget key is `hubspot:<portalId>` from
 * `GET /account-info/v3/details` (any valid token may call it): every source and token of one portal shares
 * one budget. A refusal other than 401/5xx/429 leaves the key unnamed (the source then gets its own budget).
 */
export async function hubspotAccountKey(
  accessToken: string,
  settings: ConnectorSettings,
  signal?: AbortSignal,
): Promise<string | null> {
  const hubspot = createHubSpotClient(accessToken, settings.hubspot.apiBaseUrl);
  const response = await callHubSpot(
    UNBUDGETED,
    () => hubspot.apiRequest({ method: 'GET', path: '/account-info/v3/details' }),
    signal,
  );
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const failure = classifyHubSpotError({ code: response.status, body, headers: headersOf(response) });
    if (failure.kind === 'invalid' || failure.kind === 'permission') {
      return null;
    }
    throw failure;
  }
  const portalId = (body as { portalId?: unknown } | null)?.portalId;
  if (typeof portalId !== 'number' || !Number.isSafeInteger(portalId) || portalId <= 0) {
    throw new ProviderError('transient', 'HubSpot answered the account details without a portal id', 'hubspot');
  }
  return `hubspot:${portalId}`;
}

function headersOf(response: { headers: { get(name: string): string | null } }): Record<string, string> {
  const retryAfter = response.headers.get('retry-after');
  return retryAfter === null ? {} : { 'retry-after': retryAfter };
}

/** Free/Starter's daily quota, the smallest tier's (Professional 650k, Enterprise 1M). */
const HUBSPOT_DAILY_REQUESTS = 250_000;

/**
 * HubSpot's other per-portal limits (cloud-apis.md §2.6), each a bucket of its own beside the burst rate:
 * - search: 5 requests per second. A bucket lets `burst + perSecond × L` go in any L seconds, so 4/s with a
 *   burst of 1 keeps every second at 5 or fewer; search requests take from the burst rate as well.
 * - daily: every request. Half the quota as the burst and half spread over the day keeps any 24 hours
 *   within the quota (HubSpot resets it at midnight in the portal's time zone, which a rolling day
 *   respects whatever the zone).
 */
export const HUBSPOT_LIMITS: readonly AccountLimit[] = [
  { name: 'search', rate: { perSecond: 4, burst: 1 }, kinds: ['search'] },
  { name: 'daily', rate: { perSecond: HUBSPOT_DAILY_REQUESTS / 2 / 86_400, burst: HUBSPOT_DAILY_REQUESTS / 2 } },
];
