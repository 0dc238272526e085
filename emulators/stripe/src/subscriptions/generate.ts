// Subscription rows: who, when and in which state, derived from (seed, index) and the clock at generation.
// The mix: 15 % trialing (trial ends in the future), 20 % active after a past trial (converted), 35 % active
// without trial, 5 % past_due, 5 % canceled during the trial (not converted), 17 % canceled later,
// 3 % incomplete_expired.
import { type ObjectCounts, ownerOf } from '../counts';
import { customerId, generatedCreated } from '../customers/generate';
import { digest, stableId } from '../ids';

export const DAY = 86_400;

/** `trial_settings.end_behavior.missing_payment_method`: what a trial ending without a payment method does. */
export type MissingPaymentMethod = 'cancel' | 'create_invoice' | 'pause';

/** Stripe sends customer.subscription.trial_will_end this long before a trial ends. */
export const TRIAL_WILL_END_NOTICE = 3 * 86_400;

export type SubscriptionStatus =
  'active' | 'canceled' | 'incomplete' | 'incomplete_expired' | 'past_due' | 'paused' | 'trialing' | 'unpaid';

/** A price of the emulated catalogue; periods are fixed-length (30 days a month), unlike Stripe's calendar. */
export interface Price {
  id: string;
  product: string;
  amount: number;
  interval: 'month' | 'year';
  seconds: number;
}

export const PRICES: readonly Price[] = [
  { id: 'price_starter_monthly', product: 'prod_starter', amount: 900, interval: 'month', seconds: 30 * DAY },
  { id: 'price_pro_monthly', product: 'prod_pro', amount: 2900, interval: 'month', seconds: 30 * DAY },
  { id: 'price_team_monthly', product: 'prod_team', amount: 9900, interval: 'month', seconds: 30 * DAY },
  { id: 'price_pro_yearly', product: 'prod_pro', amount: 29000, interval: 'year', seconds: 365 * DAY },
];

export interface SubscriptionRow {
  index: number;
  id: string;
  created: number;
  customer: string;
  customerIndex: number;
  status: SubscriptionStatus;
  price: Price;
  quantity: number;
  trialStart: number | null;
  trialEnd: number | null;
  canceledAt: number | null;
  endedAt: number | null;
  /** Set by writes only: generated subscriptions carry `{ tributary_index }` and never cancel at period end. */
  metadata?: Record<string, string>;
  cancelAtPeriodEnd?: boolean;
  /** A card on the subscription (generated trials and their conversions have one, 60 % of trials). */
  defaultPaymentMethod?: string | null;
  /** What the trial's end does without a payment method; Stripe's default is create_invoice. */
  missingPaymentMethod?: MissingPaymentMethod;
  /** Set by writes and trial ends; generated rows derive their newest invoice from the counts. */
  latestInvoice?: string | null;
  /** customer.subscription.trial_will_end went out, or was due before the row existed (generated trials). */
  trialWillEndSent?: boolean;
  /** The moment the current period is rendered at, for rows changed after generation (else generation time). */
  asOf?: number;
}

export function subscriptionId(seed: number, index: number): string {
  return stableId('sub_', 24, seed, 'subscription', index);
}

/** The one item of subscription `index` (generated subscriptions have a single price). */
export function subscriptionItemId(seed: number, index: number): string {
  return stableId('si_', 14, seed, 'subscription_item', index);
}

/** Subscription `index` of `counts.subscriptions`, as of `now` (unix seconds). */
export function subscriptionRow(seed: number, index: number, counts: ObjectCounts, now: number): SubscriptionRow {
  const customerIndex = ownerOf(index, counts.subscriptions, counts.customers);
  const bytes = digest(seed, 'subscription-row', index);
  // Subscribed within three days of signing up.
  const created = generatedCreated(seed, customerIndex) + (bytes.readUInt32BE(4) % (3 * DAY));
  const row: SubscriptionRow = {
    index,
    id: subscriptionId(seed, index),
    created,
    customer: customerId(seed, customerIndex),
    customerIndex,
    status: 'active',
    price: PRICES[bytes[8] % PRICES.length],
    quantity: bytes[9] % 5 === 0 ? 1 + (bytes[10] % 9) : 1,
    trialStart: null,
    trialEnd: null,
    canceledAt: null,
    endedAt: null,
  };
  return withTrialSettings(seed, withStatus(row, bytes.readUInt32BE(0) % 100, bytes.readUInt32BE(12), now), now);
}

/** Trials get a card (60 %) or one of the three end behaviours without one, so some convert and some do not. */
function withTrialSettings(seed: number, row: SubscriptionRow, now: number): SubscriptionRow {
  if (row.trialEnd === null || row.status === 'canceled') {
    return row;
  }
  const draw = digest(seed, 'subscription-trial', row.index);
  const card = row.status !== 'trialing' || draw[0] % 10 < 6;
  return {
    ...row,
    defaultPaymentMethod: card ? stableId('pm_', 24, seed, 'subscription_pm', row.index) : null,
    missingPaymentMethod: card ? 'create_invoice' : (['cancel', 'create_invoice', 'pause'] as const)[draw[1] % 3],
    trialWillEndSent: row.trialEnd - TRIAL_WILL_END_NOTICE <= now,
  };
}

/** The row's state for a draw `kind` in [0, 100); `spread` varies its dates. */
function withStatus(row: SubscriptionRow, kind: number, spread: number, now: number): SubscriptionRow {
  const trialDays = spread % 2 === 0 ? 14 : 30;
  if (kind < 15) {
    // Still in trial: it started at most `trialDays` ago and ends within them.
    const trialEnd = Math.max(now, row.created) + DAY + (spread % (trialDays - 1)) * DAY;
    const created = Math.max(row.created, trialEnd - trialDays * DAY);
    return { ...row, created, status: 'trialing', trialStart: created, trialEnd };
  }
  if (kind < 35) {
    return { ...row, trialStart: row.created, trialEnd: row.created + trialDays * DAY };
  }
  if (kind < 70) {
    return row;
  }
  if (kind < 75) {
    return { ...row, status: 'past_due' };
  }
  if (kind < 80) {
    // Canceled during its trial (a trial that did not convert), and never later than yesterday.
    const trialEnd = row.created + trialDays * DAY;
    const canceledAt = Math.min(row.created + (spread % trialDays) * DAY, Math.max(row.created + DAY, now - DAY));
    return { ...row, status: 'canceled', trialStart: row.created, trialEnd, canceledAt, endedAt: canceledAt };
  }
  if (kind < 97) {
    // Canceled after 1 to 12 periods, and never later than yesterday.
    const after = (1 + (spread % 12)) * row.price.seconds;
    const canceledAt = Math.min(row.created + after, Math.max(row.created + DAY, now - DAY));
    return { ...row, status: 'canceled', canceledAt, endedAt: canceledAt };
  }
  // Stripe expires an unpaid first invoice's subscription after 23 hours.
  return { ...row, status: 'incomplete_expired', endedAt: row.created + 23 * 3_600 };
}

export function generateSubscriptionRows(seed: number, counts: ObjectCounts, now: number): SubscriptionRow[] {
  return Array.from({ length: counts.subscriptions }, (_, index) => subscriptionRow(seed, index, counts, now));
}

/** Start of the billing period that contains `at` (periods run from the trial's end, else from creation). */
export function periodStart(row: SubscriptionRow, at: number): number {
  if (row.trialEnd !== null && at < row.trialEnd) {
    return row.trialStart ?? row.created;
  }
  const anchor = row.trialEnd ?? row.created;
  return anchor + Math.max(0, Math.floor((at - anchor) / row.price.seconds)) * row.price.seconds;
}

/** End of the period that starts at `start`. */
export function periodEnd(row: SubscriptionRow, start: number): number {
  return row.trialEnd !== null && start < row.trialEnd ? row.trialEnd : start + row.price.seconds;
}
