import { SourceKind } from '@app/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import Stripe from 'stripe';
import type { Connector, ObjectDescriptor, Page } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { classifyStripeError } from './stripe.errors';

const PAGE_SIZE = 100;

// stripe-node 23 takes no per-request AbortSignal: the caller's signal reaches fetch through this store.
const callerSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/** Runs `fn` so that every request the Stripe client sends meanwhile is aborted with `signal`. */
export function withCallerSignal<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  return callerSignal.run(signal, fn);
}

function fetchWithCallerSignal(url: string | URL | Request, init?: RequestInit): Promise<Response> {
  const caller = callerSignal.getStore();
  if (!caller) {
    return fetch(url, init);
  }
  // The client's own signal carries its request timeout; either one aborts the request.
  const signal = init?.signal ? AbortSignal.any([init.signal, caller]) : caller;
  return fetch(url, { ...init, signal });
}
export const STRIPE_OBJECTS: ObjectDescriptor[] = [{ name: 'customers', primaryKey: 'id', cursorField: 'created' }];

/** Maps STRIPE_API_BASE_URL (scheme://host[:port]) onto stripe-node's host/port/protocol options. */
export function stripeClientOptions(baseUrl: string): Stripe.StripeConfig {
  const url = new URL(baseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
    // Temporal owns retries; the client must not retry behind its back.
    maxNetworkRetries: 0,
    timeout: 20_000,
    // fetch, so that a cancelled activity aborts its request in flight (fetchWithCallerSignal).
    httpClient: Stripe.createFetchHttpClient(fetchWithCallerSignal),
  };
}

export class StripeConnector implements Connector {
  readonly kind = SourceKind.STRIPE;

  constructor(private readonly stripe: Stripe) {}

  listObjects(): ObjectDescriptor[] {
    return STRIPE_OBJECTS;
  }

  async checkConnection(signal?: AbortSignal): Promise<void> {
    await this.call(() => this.stripe.customers.list({ limit: 1 }), signal);
  }

  async readPage(object: string, cursor: string | null, signal?: AbortSignal): Promise<Page> {
    if (object !== 'customers') {
      throw new ProviderError('invalid', `Stripe object "${object}" is not supported yet`, 'stripe');
    }
    const page = await this.call(
      () => this.stripe.customers.list({ limit: PAGE_SIZE, ...(cursor ? { starting_after: cursor } : {}) }),
      signal,
    );
    const records = page.data.map((c) => ({ externalId: c.id, payload: c as unknown as Record<string, unknown> }));
    return { records, nextCursor: page.has_more && records.length > 0 ? records[records.length - 1].externalId : null };
  }

  private async call<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await withCallerSignal(signal, fn);
    } catch (error) {
      // Anything but a Stripe error (a bug, a lost socket) is classified by the activity boundary.
      throw error instanceof Stripe.errors.StripeError ? classifyStripeError(error) : error;
    }
  }
}

/**
 * The connector for one source: its secret key, the API origin every Stripe source shares, and its
 * account's request budget, taken before every request the client sends (retries included, were any on).
 */
export function createStripeConnector(secretKey: string, apiBaseUrl: string, budget: RequestBudget): Connector {
  const options = stripeClientOptions(apiBaseUrl);
  // The budget wraps the fetch client, so a cancelled activity still aborts its request in flight.
  const httpClient = budgetedHttpClient(options.httpClient!, budget);
  return new StripeConnector(new Stripe(secretKey, { ...options, httpClient }));
}

function budgetedHttpClient(inner: Stripe.HttpClient, budget: RequestBudget): Stripe.HttpClient {
  return {
    getClientName: () => inner.getClientName(),
    makeRequest: async (...request) => {
      await budget.take();
      return inner.makeRequest(...request);
    },
  };
}
