// Invoice rows: each subscription's invoices in billing order (the first one, then one per period), with the
// status their timing implies: a period not yet started is the upcoming `draft`, one after the subscription
// ended is `void`, the newest of a past_due subscription is `open`; the rest are mostly `paid`.
import { type ObjectCounts, ownedRange, ownerOf } from '../counts';
import { digest, stableId } from '../ids';
import type { SubscriptionRow } from '../subscriptions/generate';

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export interface InvoiceRow {
  index: number;
  id: string;
  created: number;
  customer: string;
  customerIndex: number;
  /** Null for a one-off invoice made with `POST /v1/invoices` without a subscription. */
  subscription: string | null;
  subscriptionIndex: number | null;
  status: InvoiceStatus;
  /** 1 for a subscription's first invoice. */
  sequence: number;
  amount: number;
  billingReason: 'manual' | 'subscription_create' | 'subscription_cycle';
  /** The period the line bills. */
  lineStart: number;
  lineEnd: number;
  /** Written invoices only (writes.ts): what they record instead of what generation derives. */
  written?: WrittenInvoice;
}

/** A line of a written invoice: a subscription period, or an invoice item added to a draft. */
export interface WrittenLine {
  id: string;
  amount: number;
  description: string | null;
  start: number;
  end: number;
  /** The subscription item it bills, or the invoice item (`ii_…`) it came from. */
  source: { subscriptionItem: string } | { invoiceItem: string };
}

/** The customer fields an invoice copies (Stripe copies them when it finalizes). */
export interface CustomerDetails {
  address: unknown;
  email: string | null;
  name: string | null;
  phone: string | null;
  shipping: unknown;
  tax_exempt: string;
  invoice_prefix: string;
}

export interface WrittenInvoice {
  lines: WrittenLine[];
  customer: CustomerDetails;
  description: string | null;
  metadata: Record<string, string>;
  autoAdvance: boolean;
  collectionMethod: 'charge_automatically' | 'send_invoice';
  dueDate: number | null;
  number: string | null;
  finalizedAt: number | null;
  paidAt: number | null;
  voidedAt: number | null;
  attempted: boolean;
}

export function invoiceId(seed: number, index: number): string {
  return stableId('in_', 24, seed, 'invoice', index);
}

export function generateInvoiceRows(
  seed: number,
  counts: ObjectCounts,
  subscriptions: readonly SubscriptionRow[],
  now: number,
): InvoiceRow[] {
  return Array.from({ length: counts.invoices }, (_, index) => {
    const owner = ownerOf(index, counts.invoices, counts.subscriptions);
    const range = ownedRange(owner, counts.invoices, counts.subscriptions);
    return invoiceRow(seed, index, subscriptions[owner], index - range.first, index === range.end - 1, now);
  });
}

/** Invoice `n` (0-based) of subscription `sub`; `last` says whether it is the subscription's newest. */
function invoiceRow(
  seed: number,
  index: number,
  sub: SubscriptionRow,
  n: number,
  last: boolean,
  now: number,
): InvoiceRow {
  const full = sub.price.amount * sub.quantity;
  // The first invoice opens the subscription (a 0 invoice when it starts with a trial); later ones renew it.
  const lineStart =
    n === 0 ? sub.created : (sub.trialEnd ?? sub.created) + (sub.trialEnd === null ? n : n - 1) * sub.price.seconds;
  const lineEnd = n === 0 && sub.trialEnd !== null ? sub.trialEnd : lineStart + sub.price.seconds;
  const row: InvoiceRow = {
    index,
    id: invoiceId(seed, index),
    created: Math.min(lineStart, now),
    customer: sub.customer,
    customerIndex: sub.customerIndex,
    subscription: sub.id,
    subscriptionIndex: sub.index,
    status: 'paid',
    sequence: n + 1,
    amount: n === 0 && sub.trialStart !== null ? 0 : full,
    billingReason: n === 0 ? 'subscription_create' : 'subscription_cycle',
    lineStart,
    lineEnd,
  };
  return { ...row, status: invoiceStatus(row, sub, last, digest(seed, 'invoice-row', index)[0] % 100, now) };
}

function invoiceStatus(row: InvoiceRow, sub: SubscriptionRow, last: boolean, draw: number, now: number): InvoiceStatus {
  if (row.lineStart > now) {
    return 'draft';
  }
  if (sub.status === 'incomplete_expired' || (sub.endedAt !== null && row.lineStart >= sub.endedAt)) {
    return 'void';
  }
  if (sub.status === 'past_due' && last) {
    return 'open';
  }
  return draw < 90 ? 'paid' : draw < 94 ? 'open' : draw < 97 ? 'void' : 'uncollectible';
}
