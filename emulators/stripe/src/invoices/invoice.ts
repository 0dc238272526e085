// The invoice object rendered from its row, with exactly the fields of Stripe's own sample
// (fixtures/invoice.json; see shape.ts). Customer details are copied from the generated customer, as Stripe
// copies them when it finalizes an invoice.
import fixture from '../../fixtures/invoice.json';
import invoiceItemFixture from '../../fixtures/invoiceitem.json';
import { generateCustomer, generatedCreated } from '../customers/generate';
import { stableId } from '../ids';
import { fixtureShape } from '../shape';
import { subscriptionItemId } from '../subscriptions/generate';
import type { InvoiceRow, InvoiceStatus, WrittenInvoice, WrittenLine } from './generate';

export const INVOICE_SHAPE = fixtureShape('invoice', fixture);
export const INVOICEITEM_SHAPE = fixtureShape('invoiceitem', invoiceItemFixture);

/** The fields lists filter on, typed; the other fixture fields are present but not typed here. */
export interface Invoice {
  id: string;
  object: 'invoice';
  created: number;
  customer: string;
  subscription: string | null;
  status: InvoiceStatus;
  [field: string]: unknown;
}

const HOUR = 3_600;

export function renderInvoice(row: InvoiceRow, seed: number): Invoice {
  const timeline = row.written ? writtenTimeline(row.written) : generatedTimeline(row);
  const customer =
    row.written?.customer ?? generateCustomer(seed, row.customerIndex, generatedCreated(seed, row.customerIndex));
  const { finalized } = timeline;
  const paid = row.status === 'paid' ? row.amount : 0;
  const sequence = `${customer.invoice_prefix}-${String(row.sequence).padStart(4, '0')}`;
  return INVOICE_SHAPE.shape({
    ...STRIPE_DEFAULTS,
    id: row.id,
    object: 'invoice',
    amount_due: row.amount,
    amount_paid: paid,
    amount_remaining: row.status === 'void' ? 0 : row.amount - paid,
    attempt_count: timeline.attempted ? 1 : 0,
    attempted: timeline.attempted,
    auto_advance: row.written?.autoAdvance ?? (row.status === 'draft' || row.status === 'open'),
    billing_reason: row.billingReason,
    collection_method: row.written?.collectionMethod ?? 'charge_automatically',
    created: row.created,
    customer: row.customer,
    customer_address: customer.address,
    customer_email: customer.email,
    customer_name: customer.name,
    customer_phone: customer.phone,
    customer_shipping: customer.shipping,
    customer_tax_exempt: customer.tax_exempt,
    description: row.written?.description ?? null,
    due_date: row.written?.dueDate ?? null,
    effective_at: finalized,
    ending_balance: finalized === null ? null : 0,
    hosted_invoice_url: finalized === null ? null : `https://invoice.stripe.com/i/emulated/${row.id}`,
    invoice_pdf: finalized === null ? null : `https://pay.stripe.com/invoice/emulated/${row.id}/pdf`,
    lines: lineList(row, seed),
    metadata: row.written?.metadata ?? {},
    next_payment_attempt: row.status === 'open' && !row.written ? row.created + 3 * 24 * HOUR : null,
    number: row.written ? row.written.number : finalized === null ? null : sequence,
    parent:
      row.subscription === null
        ? null
        : {
            quote_details: null,
            subscription_details: { metadata: {}, subscription: row.subscription },
            type: 'subscription_details',
          },
    period_end: row.created,
    period_start: row.created,
    status: row.status,
    status_transitions: {
      finalized_at: finalized,
      marked_uncollectible_at: timeline.uncollectible,
      paid_at: timeline.paid,
      voided_at: timeline.voided,
    },
    subscription: row.subscription,
    subtotal: row.amount,
    subtotal_excluding_tax: row.amount,
    total: row.amount,
    total_excluding_tax: row.amount,
    webhooks_delivered_at: finalized,
  });
}

interface Timeline {
  finalized: number | null;
  paid: number | null;
  voided: number | null;
  uncollectible: number | null;
  attempted: boolean;
}

/** Generated invoices were finalized an hour after creation, and paid then (or voided, or given up on). */
function generatedTimeline(row: InvoiceRow): Timeline {
  const finalized = row.status === 'draft' ? null : row.created + HOUR;
  return {
    finalized,
    paid: row.status === 'paid' ? finalized : null,
    voided: row.status === 'void' ? row.created + 2 * HOUR : null,
    uncollectible: row.status === 'uncollectible' ? row.created + 30 * 24 * HOUR : null,
    attempted: finalized !== null,
  };
}

/** Written invoices keep the moments their writes happened. */
function writtenTimeline(written: WrittenInvoice): Timeline {
  return {
    finalized: written.finalizedAt,
    paid: written.paidAt,
    voided: written.voidedAt,
    uncollectible: null,
    attempted: written.attempted,
  };
}

function lineList(row: InvoiceRow, seed: number): object {
  const lines = row.written
    ? row.written.lines.map((line) => renderLine(row, line))
    : [renderLine(row, generatedLine(row, seed))];
  return { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${row.id}/lines` };
}

/** A generated invoice's one line: the subscription's period. */
function generatedLine(row: InvoiceRow, seed: number): WrittenLine {
  return {
    id: stableId('il_', 24, seed, 'invoice_line', row.index),
    amount: row.amount,
    description: row.amount === 0 ? 'Trial period' : 'Subscription',
    start: row.lineStart,
    end: row.lineEnd,
    source: { subscriptionItem: subscriptionItemId(seed, row.subscriptionIndex ?? 0) },
  };
}

function renderLine(row: InvoiceRow, line: WrittenLine): object {
  const subscriptionItem = 'subscriptionItem' in line.source ? line.source.subscriptionItem : null;
  return {
    id: line.id,
    object: 'line_item',
    amount: line.amount,
    currency: 'usd',
    description: line.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: row.id,
    livemode: false,
    metadata: {},
    parent:
      subscriptionItem === null
        ? {
            invoice_item_details: {
              invoice_item: 'invoiceItem' in line.source ? line.source.invoiceItem : null,
              proration: false,
              proration_details: { credited_items: null },
              subscription: row.subscription,
            },
            subscription_item_details: null,
            type: 'invoice_item_details',
          }
        : {
            invoice_item_details: null,
            subscription_item_details: {
              invoice_item: null,
              proration: false,
              proration_details: { credited_items: null },
              subscription: row.subscription,
              subscription_item: subscriptionItem,
            },
            type: 'subscription_item_details',
          },
    period: { end: line.end, start: line.start },
    pretax_credit_amounts: [],
    pricing: { type: 'price_details', unit_amount_decimal: String(line.amount) },
    quantity: 1,
    quantity_decimal: '1',
    subscription: row.subscription,
    subtotal: line.amount,
    taxes: [],
  };
}

/** The fields every generated invoice shares, as a card-billed subscription invoice has them. */
const STRIPE_DEFAULTS = {
  account_country: 'US',
  account_name: 'Tributary Emulated Ltd',
  account_tax_ids: null,
  amount_overpaid: 0,
  amount_shipping: 0,
  application: null,
  automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
  automatically_finalizes_at: null,
  currency: 'usd',
  custom_fields: null,
  customer_account: null,
  customer_tax_ids: [],
  default_payment_method: null,
  default_source: null,
  default_tax_rates: [],
  discounts: [],
  footer: null,
  from_invoice: null,
  issuer: { type: 'self' },
  last_finalization_error: null,
  latest_revision: null,
  livemode: false,
  on_behalf_of: null,
  payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
  post_payment_credit_notes_amount: 0,
  pre_payment_credit_notes_amount: 0,
  receipt_number: null,
  rendering: null,
  shipping_cost: null,
  shipping_details: null,
  starting_balance: 0,
  statement_descriptor: null,
  test_clock: null,
  total_discount_amounts: [],
  total_pretax_credit_amounts: [],
  total_taxes: [],
};
