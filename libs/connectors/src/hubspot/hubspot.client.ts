import { Client } from '@hubspot/api-client';
import type { RequestBudget, RequestKind } from '../core/request-budget';
import { classifyHubSpotError, isHubSpotApiFailure } from './hubspot.errors';

/**
 * The official client for one token, pointed at HUBSPOT_API_BASE_URL (no trailing slash: the client appends
 * paths to it). No `numberOfApiCallRetries` and no `limiterOptions`: Temporal owns retries and the engine's
 * per-portal budget owns the pace (callHubSpot).
 */
export function createHubSpotClient(accessToken: string, apiBaseUrl: string): Client {
  return new Client({ accessToken, basePath: apiBaseUrl.replace(/\/+$/, '') });
}

/**
 * Runs one client call, which is one request (the client's retries are off), after taking the portal's budget:
 * 13.5 never runs middleware given in the client's configuration (its generated APIs only apply call-time
 * middleware), so the budget wraps the calls. HubSpot's refusals become ProviderError. The client takes no
 * AbortSignal, so a cancelled caller stops waiting at once and the request in flight is left to finish.
 * CRM search calls name their kind (`'search'`): HubSpot limits them apart (HUBSPOT_LIMITS).
 */
export async function callHubSpot<T>(
  budget: RequestBudget,
  fn: () => Promise<T>,
  signal?: AbortSignal,
  kind?: RequestKind,
): Promise<T> {
  signal?.throwIfAborted();
  await budget.take(kind);
  signal?.throwIfAborted();
  try {
    return await (signal ? raceAbort(fn(), signal) : fn());
  } catch (error) {
    // Anything but an answer from HubSpot (a bug, an abort) is classified by the activity boundary.
    throw isHubSpotApiFailure(error) ? classifyHubSpotError(error) : error;
  }
}

function raceAbort<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(signal.reason instanceof Error ? signal.reason : new Error('The HubSpot call was aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
