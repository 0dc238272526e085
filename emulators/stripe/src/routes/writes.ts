// The writes tests use to make events: create, update and delete customers; update and cancel subscriptions.
// Parameters are form-encoded (form.ts): in the body of a POST, in the query string of a DELETE, as
// stripe-node sends them. Authentication, faults and the Stripe headers ran before (server.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Customer } from '../customers/customer';
import { noSuchObject } from '../errors';
import { type Form, parseForm } from '../form';
import { sendJson } from '../http';
import { registerBillingWriteRoutes } from './billing-writes';
import { origin, queryOf } from './origin';
import type { EmulatorState } from '../state';
import {
  cancelSubscription,
  subscriptionWriter,
  type SubscriptionWriter,
  updateSubscription,
} from '../subscriptions/writes';
import { booleanField, mergedMetadata, nullableString, rejectUnknownFields } from '../write-params';

type ById = { Params: { id: string }; Body: Form | undefined };

export function registerWriteRoutes(app: FastifyInstance, state: EmulatorState): void {
  registerCustomerWrites(app, state);
  registerSubscriptionWrites(app, state);
  registerBillingWriteRoutes(app, state);
}

function registerCustomerWrites(app: FastifyInstance, state: EmulatorState): void {
  app.post<{ Body: Form | undefined }>('/v1/customers', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['email', 'metadata', 'name']);
    const input = {
      email: nullableString(form, 'email') ?? null,
      name: nullableString(form, 'name') ?? null,
      metadata: mergedMetadata(form, {}) ?? {},
    };
    return sendJson(reply, 200, state.customers.create(input, origin(request, reply, state)));
  });
  app.post<ById>('/v1/customers/:id', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['email', 'metadata', 'name']);
    const updated = state.customers.edit(
      request.params.id,
      (customer) => customerChange(form, customer),
      origin(request, reply, state),
    );
    return sendJson(reply, 200, updated ?? missing('customer', request.params.id));
  });
  app.delete<ById>('/v1/customers/:id', (request, reply) => {
    rejectUnknownFields(parseForm(queryOf(request.url)), []);
    if (!state.customers.remove(request.params.id, origin(request, reply, state))) {
      missing('customer', request.params.id);
    }
    return sendJson(reply, 200, { id: request.params.id, object: 'customer', deleted: true });
  });
}

function registerSubscriptionWrites(app: FastifyInstance, state: EmulatorState): void {
  app.post<ById>('/v1/subscriptions/:id', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['cancel_at_period_end', 'metadata']);
    const current =
      state.billing.subscriptions.retrieve(request.params.id) ?? missing('subscription', request.params.id);
    const change = {
      metadata: mergedMetadata(form, current.metadata as Record<string, string>),
      cancelAtPeriodEnd: booleanField(form, 'cancel_at_period_end'),
    };
    return sendJson(reply, 200, updateSubscription(writer(state, request, reply), request.params.id, change));
  });
  app.delete<ById>('/v1/subscriptions/:id', (request, reply) => {
    // stripe-node may send these with a cancel; the emulator neither invoices nor prorates.
    rejectUnknownFields(parseForm(queryOf(request.url)), ['invoice_now', 'prorate']);
    const canceled = cancelSubscription(writer(state, request, reply), request.params.id);
    return sendJson(reply, 200, canceled ?? missing('subscription', request.params.id));
  });
}

/** The sent fields over the customer's own; an empty email or name unsets it. */
function customerChange(form: Form, customer: Customer): Partial<Customer> {
  const email = nullableString(form, 'email');
  const name = nullableString(form, 'name');
  const metadata = mergedMetadata(form, customer.metadata);
  return {
    ...(email === undefined ? {} : { email }),
    ...(name === undefined ? {} : { name }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

function writer(state: EmulatorState, request: FastifyRequest, reply: FastifyReply): SubscriptionWriter {
  return subscriptionWriter(state.billingWriter(origin(request, reply, state)));
}

/** A write to an unknown (or deleted) object: Stripe's 404 resource_missing. */
function missing(noun: string, id: string): never {
  throw noSuchObject(noun, id, 'id', 404);
}
