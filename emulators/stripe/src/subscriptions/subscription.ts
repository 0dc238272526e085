// The subscription object rendered from its row, with exactly the fields of Stripe's own sample
// (fixtures/subscription.json; see shape.ts). Fields the emulator does not vary carry Stripe's defaults.
import fixture from '../../fixtures/subscription.json';
import { type ObjectCounts, ownedRange } from '../counts';
import { invoiceId } from '../invoices/generate';
import { fixtureShape } from '../shape';
import { periodEnd, periodStart, subscriptionItemId, type SubscriptionRow, type SubscriptionStatus } from './generate';

export const SUBSCRIPTION_SHAPE = fixtureShape('subscription', fixture);

/** The fields lists filter on, typed; the other fixture fields are present but not typed here. */
export interface Subscription {
  id: string;
  object: 'subscription';
  created: number;
  customer: string;
  status: SubscriptionStatus;
  trial_start: number | null;
  trial_end: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  latest_invoice: string | null;
  [field: string]: unknown;
}

/** What rendering needs besides the row: the seed, the counts (for invoice links) and generation time. */
export interface RenderContext {
  seed: number;
  counts: ObjectCounts;
  now: number;
}

export function renderSubscription(row: SubscriptionRow, context: RenderContext): Subscription {
  const at = row.asOf ?? context.now;
  const current = periodStart(row, Math.min(at, row.endedAt ?? at));
  const invoices = ownedRange(row.index, context.counts.invoices, context.counts.subscriptions);
  const generatedLatest = invoices.end > invoices.first ? invoiceId(context.seed, invoices.end - 1) : null;
  return SUBSCRIPTION_SHAPE.shape({
    ...STRIPE_DEFAULTS,
    id: row.id,
    object: 'subscription',
    billing_cycle_anchor: row.trialEnd ?? row.created,
    billing_cycle_anchor_config: null,
    cancel_at: row.cancelAtPeriodEnd ? periodEnd(row, current) : null,
    cancel_at_period_end: row.cancelAtPeriodEnd ?? false,
    canceled_at: row.canceledAt,
    cancellation_details: {
      comment: null,
      feedback: null,
      reason: row.canceledAt === null ? null : 'cancellation_requested',
    },
    created: row.created,
    customer: row.customer,
    ended_at: row.endedAt,
    items: itemList(row, context.seed, current),
    default_payment_method: row.defaultPaymentMethod ?? null,
    latest_invoice: row.latestInvoice === undefined ? generatedLatest : row.latestInvoice,
    metadata: row.metadata ?? { tributary_index: String(row.index) },
    start_date: row.created,
    status: row.status,
    trial_end: row.trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: row.missingPaymentMethod ?? 'create_invoice' } },
    trial_start: row.trialStart,
  });
}

function itemList(row: SubscriptionRow, seed: number, current: number): object {
  const item = {
    id: subscriptionItemId(seed, row.index),
    object: 'subscription_item',
    billing_thresholds: null,
    created: row.created,
    current_period_end: periodEnd(row, current),
    current_period_start: current,
    discounts: [],
    metadata: {},
    plan: null,
    price: {
      id: row.price.id,
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      created: 1_704_067_200,
      currency: 'usd',
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: row.price.product,
      recurring: { interval: row.price.interval, interval_count: 1, meter: null, usage_type: 'licensed' },
      tax_behavior: 'unspecified',
      type: 'recurring',
      unit_amount: row.price.amount,
      unit_amount_decimal: String(row.price.amount),
    },
    quantity: row.quantity,
    subscription: row.id,
    tax_rates: [],
  };
  return { object: 'list', data: [item], has_more: false, url: `/v1/subscription_items?subscription=${row.id}` };
}

/** The fields every generated subscription shares, as a plain card-billed subscription has them. */
const STRIPE_DEFAULTS = {
  application: null,
  application_fee_percent: null,
  automatic_tax: { disabled_reason: null, enabled: false, liability: null },
  billing_mode: { type: 'classic' },
  billing_schedules: [],
  billing_thresholds: null,
  collection_method: 'charge_automatically',
  currency: 'usd',
  customer_account: null,
  days_until_due: null,
  default_source: null,
  default_tax_rates: [],
  description: null,
  discounts: [],
  invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
  livemode: false,
  managed_payments: null,
  next_pending_invoice_item_invoice: null,
  on_behalf_of: null,
  pause_collection: null,
  payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
  pending_invoice_item_interval: null,
  pending_setup_intent: null,
  pending_update: null,
  schedule: null,
  test_clock: null,
  transfer_data: null,
};
