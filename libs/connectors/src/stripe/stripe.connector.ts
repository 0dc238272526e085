import { SourceKind } from '@app/common';
import Stripe from 'stripe';
import type { Connector, ObjectDescriptor, Page } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { classifyStripeError } from './stripe.errors';

const PAGE_SIZE = 100;
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
    timeout: 20_000, // below the activity heartbeat timeout (30 s)
  };
}

export class StripeConnector implements Connector {
  readonly kind = SourceKind.STRIPE;

  constructor(private readonly stripe: Stripe) {}

  listObjects(): ObjectDescriptor[] {
    return STRIPE_OBJECTS;
  }

  async checkConnection(): Promise<void> {
    await this.call(() => this.stripe.customers.list({ limit: 1 }));
  }

  async readPage(object: string, cursor: string | null): Promise<Page> {
    if (object !== 'customers') {
      throw new ProviderError('invalid', `Stripe object "${object}" is not supported yet`, 'stripe');
    }
    const page = await this.call(() =>
      this.stripe.customers.list({ limit: PAGE_SIZE, ...(cursor ? { starting_after: cursor } : {}) }),
    );
    const records = page.data.map((c) => ({ externalId: c.id, payload: c as unknown as Record<string, unknown> }));
    return { records, nextCursor: page.has_more && records.length > 0 ? records[records.length - 1].externalId : null };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
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
  const httpClient = budgetedHttpClient(Stripe.createNodeHttpClient(), budget);
  return new StripeConnector(new Stripe(secretKey, { ...stripeClientOptions(apiBaseUrl), httpClient }));
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
