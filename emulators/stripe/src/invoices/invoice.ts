// The invoice object rendered from its row, with exactly the fields of Stripe's own sample
// (fixtures/invoice.json; see shape.ts). Customer details are copied from the generated customer, as Stripe
// copies them when it finalizes an invoice.
import fixture from '../../fixtures/invoice.json';
import { generateCustomer, generatedCreated } from '../customers/generate';
import { stableId } from '../ids';
import { fixtureShape } from '../shape';
import { subscriptionItemId } from '../subscriptions/generate';
import type { InvoiceRow, InvoiceStatus } from './generate';

export const INVOICE_SHAPE = fixtureShape('invoice', fixture);

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
  const customer = generateCustomer(seed, row.customerIndex, generatedCreated(seed, row.customerIndex));
  const finalized = row.status === 'draft' ? null : row.created + HOUR;
  const paid = row.status === 'paid' ? row.amount : 0;
  return INVOICE_SHAPE.shape({
    ...STRIPE_DEFAULTS,
    id: row.id,
    object: 'invoice',
    amount_due: row.amount,
    amount_paid: paid,
    amount_remaining: row.status === 'void' ? 0 : row.amount - paid,
    attempt_count: finalized === null ? 0 : 1,
    attempted: finalized !== null,
    auto_advance: row.status === 'draft' || row.status === 'open',
    billing_reason: row.billingReason,
    created: row.created,
    customer: row.customer,
    customer_address: customer.address,
    customer_email: customer.email,
    customer_name: customer.name,
    customer_phone: customer.phone,
    customer_shipping: customer.shipping,
    customer_tax_exempt: customer.tax_exempt,
    effective_at: finalized,
    ending_balance: finalized === null ? null : 0,
    hosted_invoice_url: finalized === null ? null : `https://invoice.stripe.com/i/emulated/${row.id}`,
    invoice_pdf: finalized === null ? null : `https://pay.stripe.com/invoice/emulated/${row.id}/pdf`,
    lines: lineList(row, seed),
    metadata: {},
    next_payment_attempt: row.status === 'open' ? row.created + 3 * 24 * HOUR : null,
    number: finalized === null ? null : `${customer.invoice_prefix}-${String(row.sequence).padStart(4, '0')}`,
    parent: {
      quote_details: null,
      subscription_details: { metadata: {}, subscription: row.subscription },
      type: 'subscription_details',
    },
    period_end: row.created,
    period_start: row.created,
    status: row.status,
    status_transitions: {
      finalized_at: finalized,
      marked_uncollectible_at: row.status === 'uncollectible' ? row.created + 30 * 24 * HOUR : null,
      paid_at: row.status === 'paid' ? finalized : null,
      voided_at: row.status === 'void' ? row.created + 2 * HOUR : null,
    },
    subscription: row.subscription,
    subtotal: row.amount,
    subtotal_excluding_tax: row.amount,
    total: row.amount,
    total_excluding_tax: row.amount,
    webhooks_delivered_at: finalized,
  });
}

function lineList(row: InvoiceRow, seed: number): object {
  const line = {
    id: stableId('il_', 24, seed, 'invoice_line', row.index),
    object: 'line_item',
    amount: row.amount,
    currency: 'usd',
    description: row.amount === 0 ? 'Trial period' : 'Subscription',
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: row.id,
    livemode: false,
    metadata: {},
    parent: {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: row.subscription,
        subscription_item: subscriptionItemId(seed, row.subscriptionIndex),
      },
      type: 'subscription_item_details',
    },
    period: { end: row.lineEnd, start: row.lineStart },
    pretax_credit_amounts: [],
    pricing: { type: 'price_details', unit_amount_decimal: String(row.amount) },
    quantity: 1,
    subtotal: row.amount,
    taxes: [],
  };
  return { object: 'list', data: [line], has_more: false, url: `/v1/invoices/${row.id}/lines` };
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
  collection_method: 'charge_automatically',
  currency: 'usd',
  custom_fields: null,
  customer_account: null,
  customer_tax_ids: [],
  default_payment_method: null,
  default_source: null,
  default_tax_rates: [],
  description: null,
  discounts: [],
  due_date: null,
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
