import { Client } from '@hubspot/api-client';
import type { RequestBudget } from '../core/request-budget';
import { classifyHubSpotError, isHubSpotApiFailure } from './hubspot.errors';

/**
 * The official client for one token, pointed at HUBSPOT_API_BASE_URL (no trailing slash: the client appends
 * paths to it). No `numberOfApiCallRetries` and no `limiterOptions`: Temporal owns retries and the engine's
 * per-portal budget owns the pace, taken before every request the client sends (its request middleware).
 */
export function createHubSpotClient(accessToken: string, apiBaseUrl: string, budget?: RequestBudget): Client {
  return new Client({
    accessToken,
    basePath: apiBaseUrl.replace(/\/+$/, ''),
    middleware: budget
      ? [
          {
            pre: async (context: unknown) => {
              await budget.take();
              return context;
            },
            post: (context: unknown) => context,
          },
        ]
      : [],
  });
}

/**
 * Runs one client call: HubSpot's refusals become ProviderError. The client takes no AbortSignal, so a
 * cancelled caller stops waiting at once and the request in flight is left to finish.
 */
export async function callHubSpot<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
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
