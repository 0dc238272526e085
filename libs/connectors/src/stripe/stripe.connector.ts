import { SourceKind } from '@app/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import Stripe from 'stripe';
import type { ChangeLog, Connector, CreatedWindow, ObjectDescriptor, Page, WindowedListing } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { StripeChangeLog } from './stripe.change-log';
import { classifyStripeError } from './stripe.errors';
import { type ListParams, STRIPE_OBJECT_READERS, STRIPE_OBJECTS, type StripeObject } from './stripe.objects';
import { oldestCreated, windowParams } from './stripe.windows';

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

interface Created {
  id: string;
  created: number;
}

export class StripeConnector implements Connector {
  readonly kind = SourceKind.STRIPE;
  readonly changes: ChangeLog;

  constructor(private readonly stripe: Stripe) {
    this.changes = new StripeChangeLog(stripe, (fn, signal) => this.call(fn, signal));
  }

  listObjects(): ObjectDescriptor[] {
    return STRIPE_OBJECTS;
  }

  async checkConnection(signal?: AbortSignal): Promise<void> {
    await this.call(() => this.stripe.customers.list({ limit: 1 }), signal);
  }

  async readPage(object: string, cursor: string | null, signal?: AbortSignal): Promise<Page> {
    return this.listPage(
      this.reader(object),
      { limit: PAGE_SIZE, ...(cursor ? { starting_after: cursor } : {}) },
      signal,
    );
  }

  readonly windows: WindowedListing = {
    createdRange: async (object, signal) => {
      const reader = this.reader(object);
      // Every Stripe object we list has `created` (unix seconds).
      const [newest] = (await this.call(() => reader.list(this.stripe, { limit: 1 }), signal)).data as Created[];
      if (!newest) {
        return null;
      }
      const existsBefore = async (t: number) =>
        (await this.call(() => reader.list(this.stripe, { limit: 1, created: { lt: t } }), signal)).data.length > 0;
      return { oldest: await oldestCreated(newest.created, existsBefore), newest: newest.created };
    },
    readWindowPage: (object: string, window: CreatedWindow, cursor: string | null, signal?: AbortSignal) =>
      this.listPage(
        this.reader(object),
        { limit: PAGE_SIZE, ...windowParams(window), ...(cursor ? { starting_after: cursor } : {}) },
        signal,
      ),
  };

  private reader(object: string): StripeObject {
    const reader = STRIPE_OBJECT_READERS.find((o) => o.descriptor.name === object);
    if (!reader) {
      throw new ProviderError('invalid', `Stripe has no object "${object}" here`, 'stripe');
    }
    return reader;
  }

  private async listPage(reader: StripeObject, params: ListParams, signal?: AbortSignal): Promise<Page> {
    const page = await this.call(() => reader.list(this.stripe, params), signal);
    // The cursor is the last listed item, whatever became of it (a trials page may hold no record).
    const last = page.data[page.data.length - 1];
    return {
      records: page.data.flatMap((item) => reader.map(item)),
      nextCursor: page.has_more && last ? last.id : null,
    };
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
