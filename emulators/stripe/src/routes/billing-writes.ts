// The writes that make subscriptions and charges, form-encoded as stripe-node sends them: `POST /v1/subscriptions`,
// `POST /v1/charges`, `POST /v1/charges/:id` and `POST /v1/refunds`, plus the invoice writes (invoice-writes.ts).
// Parameters are read here; the behaviour lives in subscriptions/ and charges/.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { liveCustomer } from '../billing-writer';
import { createCharge, refundCharge, updateCharge } from '../charges/writes';
import { invalidRequest, missingParameter } from '../errors';
import type { Form, FormValue } from '../form';
import { sendJson } from '../http';
import type { EmulatorState } from '../state';
import { createSubscription } from '../subscriptions/create';
import { DAY, type MissingPaymentMethod } from '../subscriptions/generate';
import {
  enumField,
  integerField,
  mergedMetadata,
  nullableString,
  optionalString,
  rejectUnknownFields,
  requiredInteger,
  requiredString,
  usdOnly,
} from '../write-params';
import { registerInvoiceWrites } from './invoice-writes';
import { origin } from './origin';

type WithBody = { Body: Form | undefined };
type ById = { Params: { id: string }; Body: Form | undefined };

export function registerBillingWriteRoutes(app: FastifyInstance, state: EmulatorState): void {
  const writer = (request: FastifyRequest, reply: FastifyReply) => state.billingWriter(origin(request, reply, state));
  app.post<WithBody>('/v1/subscriptions', (request, reply) => {
    const form = request.body ?? {};
    return sendJson(
      reply,
      200,
      createSubscription(writer(request, reply), subscriptionInput(form, state.nowSeconds())),
    );
  });
  registerInvoiceWrites(app, writer);
  app.post<WithBody>('/v1/charges', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['amount', 'currency', 'customer', 'description', 'metadata', 'receipt_email', 'source']);
    const w = writer(request, reply);
    const amount = amountField(form);
    const customerId = optionalString(form, 'customer');
    const customer = customerId === undefined ? null : liveCustomer(w, customerId);
    const source =
      optionalString(form, 'source') ?? customer?.default_source ?? customer?.invoice_settings.default_payment_method;
    if (source === undefined || source === null) {
      throw customer
        ? invalidRequest('Cannot charge a customer that has no active card', { code: 'missing', param: 'card' })
        : invalidRequest('Must provide source or customer.', { param: 'source' });
    }
    const input = {
      amount,
      customer,
      source,
      description: nullableString(form, 'description') ?? null,
      metadata: mergedMetadata(form, {}) ?? {},
      receiptEmail: nullableString(form, 'receipt_email') ?? null,
    };
    return sendJson(reply, 200, createCharge(w, input));
  });
  app.post<ById>('/v1/charges/:id', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['description', 'metadata']);
    const current = state.billing.charges.retrieve(request.params.id);
    const change = {
      description: nullableString(form, 'description'),
      metadata: mergedMetadata(form, (current?.metadata ?? {}) as Record<string, string>),
    };
    return sendJson(reply, 200, updateCharge(writer(request, reply), request.params.id, change));
  });
  app.post<WithBody>('/v1/refunds', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['amount', 'charge', 'metadata', 'reason']);
    const input = {
      charge: requiredString(form, 'charge'),
      amount: integerField(form, 'amount', 1),
      reason: enumField(form, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null,
      metadata: mergedMetadata(form, {}) ?? {},
    };
    return sendJson(reply, 200, refundCharge(writer(request, reply), input));
  });
}

/** `customer`, one item (`items[0][price]`, `items[0][quantity]`), a trial, metadata and trial settings. */
function subscriptionInput(form: Form, now: number) {
  rejectUnknownFields(form, [
    'customer',
    'default_payment_method',
    'items',
    'metadata',
    'trial_end',
    'trial_period_days',
    'trial_settings',
  ]);
  const items = form.items;
  if (!Array.isArray(items) || items.length === 0) {
    throw missingParameter('items');
  }
  if (items.length > 1) {
    // Real Stripe takes up to 20 items; the emulated catalogue bills one price per subscription.
    throw invalidRequest('The emulator supports one subscription item.', { param: 'items' });
  }
  const item = asForm(items[0], 'items[0]');
  rejectUnknownFields(item, ['price', 'quantity']);
  const days = integerField(form, 'trial_period_days', 0);
  const trialEnd = form.trial_end === 'now' ? undefined : integerField(form, 'trial_end', 1);
  if (days !== undefined && form.trial_end !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: trial_end, trial_period_days.', {
      param: 'trial_end',
    });
  }
  const settings = form.trial_settings === undefined ? {} : asForm(form.trial_settings, 'trial_settings');
  const endBehavior = settings.end_behavior === undefined ? {} : asForm(settings.end_behavior, 'end_behavior');
  return {
    customer: requiredString(form, 'customer'),
    price: requiredString(item, 'price'),
    quantity: integerField(item, 'quantity', 1) ?? 1,
    trialEnd: days ? now + days * DAY : trialEnd,
    metadata: mergedMetadata(form, {}) ?? {},
    defaultPaymentMethod: optionalString(form, 'default_payment_method'),
    missingPaymentMethod:
      enumField<MissingPaymentMethod>(endBehavior, 'missing_payment_method', ['cancel', 'create_invoice', 'pause']) ??
      'create_invoice',
  };
}

function asForm(value: FormValue, name: string): Form {
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('Invalid hash', { code: 'parameter_invalid_hash', param: name }); // wording is a guess
  }
  return value;
}

/** `amount` in cents, required, and at least Stripe's minimum charge of $0.50. */
function amountField(form: Form): number {
  const amount = requiredInteger(form, 'amount', 0);
  usdOnly(form);
  if (amount < 50) {
    throw invalidRequest('Amount must be at least $0.50 usd', { code: 'amount_too_small', param: 'amount' });
  }
  return amount;
}
