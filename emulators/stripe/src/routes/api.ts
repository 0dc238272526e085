// The Stripe API surface that reads: `GET /v1/account`, and list and retrieve of customers, subscriptions,
// invoices, charges and events (writes are in writes.ts). Authentication, faults and the Stripe headers are
// applied before these handlers run (server.ts).
import type { FastifyInstance } from 'fastify';
import { accountObject } from '../accounts';
import { apiKey } from '../auth';
import type { Customer } from '../customers/customer';
import { unrecognizedUrl } from '../errors';
import { EVENT_FILTERS, eventMatcher } from '../events/filter';
import { sendJson } from '../http';
import type { InvoiceRow, InvoiceStatus } from '../invoices/generate';
import { enumParam, parseQuery, type QueryParams, rejectUnknown, stringParam } from '../query';
import type { EmulatorState } from '../state';
import type { SubscriptionRow, SubscriptionStatus } from '../subscriptions/generate';
import { registerObjectRoutes } from './objects';

const SUBSCRIPTION_STATUSES: readonly (SubscriptionStatus | 'all' | 'ended')[] = [
  'active',
  'all',
  'canceled',
  'ended',
  'incomplete',
  'incomplete_expired',
  'past_due',
  'paused',
  'trialing',
  'unpaid',
];
const INVOICE_STATUSES: readonly InvoiceStatus[] = ['draft', 'open', 'paid', 'uncollectible', 'void'];

export function registerApiRoutes(app: FastifyInstance, state: EmulatorState): void {
  // The account the request's key belongs to (authentication already passed).
  app.get('/v1/account', (request, reply) => {
    rejectUnknown(parseQuery(request.url), []);
    return sendJson(reply, 200, accountObject(state.accounts.accountOf(apiKey(request.headers.authorization)!)));
  });
  // Real Stripe serves search here; it is not emulated, and must not be read as a customer id.
  app.get('/v1/customers/search', (request) => {
    throw unrecognizedUrl(request.method, '/v1/customers/search');
  });
  registerObjectRoutes(app, {
    path: '/v1/customers',
    noun: 'customer',
    source: () => state.customers,
    filters: ['email', 'test_clock'],
    matcher: (query) => {
      const email = stringParam(query, 'email');
      const testClock = stringParam(query, 'test_clock');
      return (customer: Customer) =>
        (email === undefined || customer.email === email) &&
        (testClock === undefined || customer.test_clock === testClock);
    },
  });
  registerObjectRoutes(app, {
    path: '/v1/subscriptions',
    noun: 'subscription',
    source: () => state.billing.subscriptions,
    filters: ['customer', 'status'],
    matcher: (query) => {
      const status = subscriptionStatus(enumParam(query, 'status', SUBSCRIPTION_STATUSES));
      return and<SubscriptionRow>(customerMatcher(query), status);
    },
  });
  registerObjectRoutes(app, {
    path: '/v1/invoices',
    noun: 'invoice',
    source: () => state.billing.invoices,
    filters: ['customer', 'status', 'subscription'],
    matcher: (query) => {
      const status = enumParam(query, 'status', INVOICE_STATUSES);
      const subscription = stringParam(query, 'subscription');
      return and<InvoiceRow>(
        customerMatcher(query),
        (row) =>
          (status === undefined || row.status === status) &&
          (subscription === undefined || row.subscription === subscription),
      );
    },
  });
  registerObjectRoutes(app, {
    path: '/v1/charges',
    noun: 'charge',
    source: () => state.billing.charges,
    filters: ['customer'],
    matcher: customerMatcher,
  });
  registerObjectRoutes(app, {
    path: '/v1/events',
    noun: 'event',
    source: () => state.events,
    filters: EVENT_FILTERS,
    matcher: eventMatcher,
  });
}

/** Without `status`, canceled subscriptions are hidden; `ended` is canceled plus incomplete_expired. */
function subscriptionStatus(
  status: SubscriptionStatus | 'all' | 'ended' | undefined,
): (row: SubscriptionRow) => boolean {
  if (status === undefined) {
    return (row) => row.status !== 'canceled';
  }
  if (status === 'all') {
    return () => true;
  }
  if (status === 'ended') {
    return (row) => row.status === 'canceled' || row.status === 'incomplete_expired';
  }
  return (row) => row.status === status;
}

function customerMatcher(query: QueryParams): (row: { customer: string | null }) => boolean {
  const customer = stringParam(query, 'customer');
  return (row) => customer === undefined || row.customer === customer;
}

function and<Row>(first: (row: Row) => boolean, second: (row: Row) => boolean): (row: Row) => boolean {
  return (row) => first(row) && second(row);
}
