// `POST /v1/subscriptions`: a subscription to one price of the emulated catalogue, with or without a trial, and
// its first invoice, as Stripe makes them: customer.subscription.created, then invoice.created and
// invoice.finalized, then for a card payment charge.succeeded, invoice.paid and invoice.payment_succeeded (a
// trial's first invoice is 0 and paid at once). Without a trial, the customer or the subscription needs a card.
import { type BillingWriter, emit, liveCustomer } from '../billing-writer';
import { invalidRequest } from '../errors';
import { isDeclinedCard } from '../charges/writes';
import { invoiceId } from '../invoices/generate';
import { subscriptionInvoice } from '../invoices/writes';
import { failPayment, finalizeInvoice, noPaymentMethod, payInvoice } from '../invoices/lifecycle';
import type { Subscription } from './subscription';
import {
  DAY,
  type MissingPaymentMethod,
  periodEnd,
  type Price,
  PRICES,
  subscriptionId,
  type SubscriptionRow,
} from './generate';

export interface SubscriptionInput {
  customer: string;
  price: string;
  quantity: number;
  /** Unix seconds, from `trial_end` or `trial_period_days`. */
  trialEnd?: number;
  metadata: Record<string, string>;
  defaultPaymentMethod?: string;
  missingPaymentMethod: MissingPaymentMethod;
}

/** Stripe refuses trials longer than two years. */
const MAX_TRIAL_SECONDS = 730 * DAY;

export function createSubscription(writer: BillingWriter, input: SubscriptionInput): Subscription {
  const customer = liveCustomer(writer, input.customer);
  const price = priceOf(input.price);
  const card = input.defaultPaymentMethod ?? customer.invoice_settings.default_payment_method;
  if (
    input.trialEnd !== undefined &&
    (input.trialEnd <= writer.now || input.trialEnd > writer.now + MAX_TRIAL_SECONDS)
  ) {
    throw invalidRequest('Invalid timestamp: must be an integer Unix timestamp in the future and within two years.', {
      param: 'trial_end',
    }); // the wording is a guess
  }
  if (input.trialEnd === undefined && card === null) {
    throw noPaymentMethod();
  }
  const index = writer.billing.subscriptions.takeIndex();
  const invoiceIndex = writer.billing.invoices.takeIndex();
  const trial = input.trialEnd !== undefined;
  // A declined card leaves the subscription incomplete with its first invoice open, as Stripe's default
  // payment_behavior (allow_incomplete) does.
  const declined = !trial && isDeclinedCard(card!);
  const row: SubscriptionRow = {
    index,
    id: subscriptionId(writer.seed, index),
    created: writer.now,
    customer: customer.id,
    customerIndex: -1,
    status: trial ? 'trialing' : declined ? 'incomplete' : 'active',
    price,
    quantity: input.quantity,
    trialStart: trial ? writer.now : null,
    trialEnd: input.trialEnd ?? null,
    canceledAt: null,
    endedAt: null,
    metadata: input.metadata,
    cancelAtPeriodEnd: false,
    defaultPaymentMethod: input.defaultPaymentMethod ?? null,
    missingPaymentMethod: input.missingPaymentMethod,
    latestInvoice: invoiceId(writer.seed, invoiceIndex),
    // A trial shorter than the notice gets its trial_will_end at once (on the next request), as at Stripe.
    trialWillEndSent: false,
    asOf: writer.now,
  };
  const created = writer.billing.subscriptions.insert(row);
  emit(writer, 'customer.subscription.created', created);
  const invoice = subscriptionInvoice(
    writer,
    row,
    {
      start: writer.now,
      end: periodEnd(row, writer.now),
      amount: trial ? 0 : price.amount * input.quantity,
      description: trial ? `Trial period for ${price.product}` : `${input.quantity} × ${price.product}`,
    },
    'subscription_create',
    invoiceIndex,
  );
  if (trial || declined) {
    finalizeInvoice(writer, invoice.id);
  }
  if (declined) {
    failPayment(writer, writer.billing.invoices.row(invoice.id)!);
  } else if (!trial) {
    payInvoice(writer, invoice.id, { paymentMethod: card!, paidOutOfBand: false });
  }
  return writer.billing.subscriptions.retrieve(row.id)!;
}

function priceOf(id: string): Price {
  const price = PRICES.find((candidate) => candidate.id === id);
  if (!price) {
    throw invalidRequest(`No such price: '${id}'`, { code: 'resource_missing', param: 'items[0][price]' });
  }
  return price;
}
