// Writes to invoices, as Stripe's invoice lifecycle has them: `POST /v1/invoices` makes a draft,
// `POST /v1/invoiceitems` adds a line to a draft, `POST /v1/invoices/:id` changes description and metadata,
// `/finalize` turns a draft into an open invoice (a 0 one is paid at once), `/pay` pays it by card (a charge),
// `/void` voids it, and `DELETE` deletes a draft (only drafts). Each appends its invoice.* events.
import { type BillingWriter, customerDetails, emit, liveCustomer } from '../billing-writer';
import { chargeInvoice, isDeclinedCard } from '../charges/writes';
import type { Customer } from '../customers/customer';
import { generateCustomer, generatedCreated } from '../customers/generate';
import { invalidRequest, noSuchObject, StripeApiError } from '../errors';
import { previousAttributes } from '../events/previous';
import { stableId } from '../ids';
import { subscriptionItemId } from '../subscriptions/generate';
import { type InvoiceRow, invoiceId, type WrittenInvoice, type WrittenLine } from './generate';
import { INVOICEITEM_SHAPE, type Invoice } from './invoice';

export interface InvoiceInput {
  customer: string;
  subscription?: string;
  description: string | null;
  metadata: Record<string, string>;
  autoAdvance: boolean;
  collectionMethod: WrittenInvoice['collectionMethod'];
  daysUntilDue?: number;
}

export interface InvoiceItemInput {
  customer: string;
  invoice: string;
  amount: number;
  description: string | null;
  metadata: Record<string, string>;
}

export interface InvoiceChange {
  description?: string | null;
  metadata?: Record<string, string>;
  autoAdvance?: boolean;
}

export interface PayInput {
  paymentMethod?: string;
  paidOutOfBand: boolean;
}

const DAY = 86_400;

/** `POST /v1/invoices`: a draft with no lines yet (items are added with `POST /v1/invoiceitems`). */
export function createInvoice(writer: BillingWriter, input: InvoiceInput): Invoice {
  const customer = liveCustomer(writer, input.customer);
  const subscription = input.subscription === undefined ? undefined : subscriptionOf(writer, input.subscription);
  if (subscription && subscription.customer !== customer.id) {
    throw invalidRequest(`The subscription ${subscription.id} does not belong to the customer ${customer.id}.`, {
      param: 'subscription',
    }); // the wording is a guess
  }
  const invoice = writer.billing.invoices.insert(
    draftRow(writer, customer, {
      subscription: subscription ? { id: subscription.id, index: subscription.index } : null,
      billingReason: 'manual',
      lines: [],
      written: {
        description: input.description,
        metadata: input.metadata,
        autoAdvance: input.autoAdvance,
        collectionMethod: input.collectionMethod,
        dueDate: input.collectionMethod === 'send_invoice' ? writer.now + (input.daysUntilDue ?? 30) * DAY : null,
      },
    }),
  );
  emit(writer, 'invoice.created', invoice);
  return invoice;
}

/** `POST /v1/invoiceitems` onto a draft: the invoice item; the draft's totals change (invoice.updated). */
export function addInvoiceItem(writer: BillingWriter, input: InvoiceItemInput): object {
  const customer = liveCustomer(writer, input.customer);
  const row = invoiceRow(writer, input.invoice, 'invoice', 400);
  if (row.customer !== customer.id) {
    throw invalidRequest(`The invoice ${row.id} belongs to another customer.`, { param: 'invoice' }); // guess
  }
  if (row.status !== 'draft') {
    throw invalidRequest(`You can only add invoice items to draft invoices; ${row.id} is ${row.status}.`, {
      param: 'invoice',
    }); // the wording is a guess
  }
  const written = writtenOf(writer, row);
  const item = stableId('ii_', 24, writer.seed, 'invoiceitem', row.id, written.lines.length);
  const line: WrittenLine = {
    id: stableId('il_', 24, writer.seed, 'invoice_line', row.id, written.lines.length),
    amount: input.amount,
    description: input.description,
    start: writer.now,
    end: writer.now,
    source: { invoiceItem: item },
  };
  const lines = [...written.lines, line];
  change(writer, row.id, (old) => ({
    ...old,
    amount: old.amount + input.amount,
    written: { ...written, lines },
  }));
  return INVOICEITEM_SHAPE.shape({
    id: item,
    object: 'invoiceitem',
    amount: input.amount,
    currency: 'usd',
    customer: customer.id,
    customer_account: null,
    date: writer.now,
    description: input.description,
    discountable: true,
    discounts: [],
    invoice: row.id,
    livemode: false,
    metadata: input.metadata,
    net_amount: input.amount,
    parent: null,
    period: { end: writer.now, start: writer.now },
    pricing: { type: 'price_details', unit_amount_decimal: String(input.amount) },
    proration: false,
    quantity: 1,
    quantity_decimal: '1',
    tax_rates: [],
    test_clock: null,
  });
}

/** `POST /v1/invoices/:id`: invoice.updated with the changed fields' old values, when something changed. */
export function updateInvoice(writer: BillingWriter, id: string, fields: InvoiceChange): Invoice {
  const row = invoiceRow(writer, id, 'id', 404);
  const written = writtenOf(writer, row);
  return change(writer, id, (old) => ({
    ...old,
    written: {
      ...written,
      description: fields.description === undefined ? written.description : fields.description,
      metadata: fields.metadata ?? written.metadata,
      autoAdvance: fields.autoAdvance ?? written.autoAdvance,
    },
  }));
}

/** `/finalize`: draft → open (invoice.finalized); a 0 invoice is paid at once (invoice.paid). */
export function finalizeInvoice(writer: BillingWriter, id: string): Invoice {
  const row = invoiceRow(writer, id, 'id', 404);
  if (row.status !== 'draft') {
    throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", {
      code: 'invoice_not_editable',
    });
  }
  const finalized = transition(writer, row, 'open', (written) => ({
    ...written,
    finalizedAt: writer.now,
    number: invoiceNumber(writer, row),
  }));
  emit(writer, 'invoice.finalized', finalized);
  return row.amount === 0 ? markPaid(writer, { ...row, status: 'open' }) : finalized;
}

/** `/pay`: finalizes a draft first; an open (or uncollectible) invoice is paid by card or out of band. */
export function payInvoice(writer: BillingWriter, id: string, input: PayInput): Invoice {
  let row = invoiceRow(writer, id, 'id', 404);
  if (row.status === 'paid') {
    throw invalidRequest('Invoice is already paid', { code: 'invoice_already_paid' }); // wording: a guess
  }
  if (row.status === 'void') {
    throw invalidRequest('You cannot pay a void invoice.', { code: 'invoice_not_editable' }); // wording: a guess
  }
  if (row.status === 'draft') {
    const finalized = finalizeInvoice(writer, id);
    if (finalized.status === 'paid') {
      return finalized;
    }
    row = invoiceRow(writer, id, 'id', 404);
  }
  if (!input.paidOutOfBand && row.amount > 0) {
    const card = input.paymentMethod ?? paymentMethodOf(writer, row);
    if (card === null) {
      throw noPaymentMethod();
    }
    if (isDeclinedCard(card)) {
      failPayment(writer, row);
      throw new StripeApiError(402, 'Your card was declined.', {
        type: 'card_error',
        code: 'card_declined',
        extra: { decline_code: 'generic_decline' },
      });
    }
    chargeInvoice(writer, customerOf(writer, row), row.amount, chargeDescription(row));
  }
  return markPaid(writer, row);
}

/** `/void`: an open or uncollectible invoice is voided (invoice.voided); drafts are deleted instead. */
export function voidInvoice(writer: BillingWriter, id: string): Invoice {
  const row = invoiceRow(writer, id, 'id', 404);
  if (row.status !== 'open' && row.status !== 'uncollectible') {
    throw invalidRequest(`You can only void open or uncollectible invoices; this invoice is ${row.status}.`, {
      code: 'invoice_not_editable',
    }); // the wording is a guess
  }
  const voided = transition(writer, row, 'void', (written) => ({ ...written, voidedAt: writer.now }));
  emit(writer, 'invoice.voided', voided);
  return voided;
}

/** `DELETE /v1/invoices/:id`: only drafts; invoice.deleted carries the invoice as it was. */
export function deleteInvoice(writer: BillingWriter, id: string): object {
  const row = invoiceRow(writer, id, 'id', 404);
  if (row.status !== 'draft') {
    throw invalidRequest(`You can only delete draft invoices. This invoice is ${row.status}.`, {
      code: 'invoice_not_editable',
    }); // the wording is a guess; Stripe offers void for finalized invoices
  }
  const removed = writer.billing.invoices.remove(id)!;
  emit(writer, 'invoice.deleted', removed);
  return { id, object: 'invoice', deleted: true };
}

/** A subscription's invoice for a period, as Stripe makes it at a trial's end or the subscription's start. */
export function subscriptionInvoice(
  writer: BillingWriter,
  subscription: { id: string; index: number; customer: string },
  period: { start: number; end: number; amount: number; description: string },
  billingReason: InvoiceRow['billingReason'],
  index = writer.billing.invoices.takeIndex(),
): InvoiceRow {
  const customer = liveCustomer(writer, subscription.customer);
  const row = draftRow(
    writer,
    customer,
    {
      subscription: { id: subscription.id, index: subscription.index },
      billingReason,
      lines: [
        {
          id: stableId('il_', 24, writer.seed, 'invoice_line', index),
          amount: period.amount,
          description: period.description,
          start: period.start,
          end: period.end,
          source: { subscriptionItem: subscriptionItemId(writer.seed, subscription.index) },
        },
      ],
      written: {},
    },
    index,
  );
  const invoice = writer.billing.invoices.insert(row);
  emit(writer, 'invoice.created', invoice);
  return row;
}

/** A finalized subscription invoice whose card payment failed (no card, or a declined one): it stays open. */
export function failPayment(writer: BillingWriter, row: InvoiceRow): Invoice {
  const failed = transition(writer, row, 'open', (written) => ({ ...written, attempted: true }));
  emit(writer, 'invoice.payment_failed', failed);
  return failed;
}

/** Stripe's answer when an invoice or subscription must be charged and there is no card. */
export function noPaymentMethod(): StripeApiError {
  return invalidRequest(
    'This customer has no attached payment source or default payment method. ' +
      'Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.',
    { code: 'resource_missing' }, // the code is a guess
  );
}

function markPaid(writer: BillingWriter, row: InvoiceRow): Invoice {
  const paid = transition(writer, row, 'paid', (written) => ({ ...written, paidAt: writer.now, attempted: true }));
  emit(writer, 'invoice.paid', paid);
  emit(writer, 'invoice.payment_succeeded', paid);
  return paid;
}

interface DraftParts {
  subscription: { id: string; index: number } | null;
  billingReason: InvoiceRow['billingReason'];
  lines: WrittenLine[];
  written: Partial<WrittenInvoice>;
}

function draftRow(writer: BillingWriter, customer: Customer, parts: DraftParts, index?: number): InvoiceRow {
  const at = index ?? writer.billing.invoices.takeIndex();
  const amount = parts.lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    index: at,
    id: invoiceId(writer.seed, at),
    created: writer.now,
    customer: customer.id,
    customerIndex: -1,
    subscription: parts.subscription?.id ?? null,
    subscriptionIndex: parts.subscription?.index ?? null,
    status: 'draft',
    sequence: 0,
    amount,
    billingReason: parts.billingReason,
    lineStart: parts.lines[0]?.start ?? writer.now,
    lineEnd: parts.lines[0]?.end ?? writer.now,
    written: {
      lines: parts.lines,
      customer: customerDetails(customer),
      description: null,
      metadata: {},
      autoAdvance: true,
      collectionMethod: 'charge_automatically',
      dueDate: null,
      number: null,
      finalizedAt: null,
      paidAt: null,
      voidedAt: null,
      attempted: false,
      ...parts.written,
    },
  };
}

/** Moves the invoice to `status`; the caller emits the event of the move. */
function transition(
  writer: BillingWriter,
  row: InvoiceRow,
  status: InvoiceRow['status'],
  edit: (written: WrittenInvoice) => WrittenInvoice,
): Invoice {
  const written = writtenOf(writer, row);
  return writer.billing.invoices.update(row.id, (old) => ({ ...old, status, written: edit(written) }))!.after;
}

/** Applies a change and appends invoice.updated when it changed anything. */
function change(writer: BillingWriter, id: string, edit: (row: InvoiceRow) => InvoiceRow): Invoice {
  const written = writer.billing.invoices.update(id, edit)!;
  const previous = previousAttributes(written.before, written.after);
  if (previous) {
    emit(writer, 'invoice.updated', written.after, previous);
  }
  return written.after;
}

function invoiceRow(writer: BillingWriter, id: string, param: string, status: 400 | 404): InvoiceRow {
  const row = writer.billing.invoices.row(id);
  if (!row) {
    throw noSuchObject('invoice', id, param, status);
  }
  return row;
}

function subscriptionOf(writer: BillingWriter, id: string): { id: string; index: number; customer: string } {
  const row = writer.billing.subscriptions.row(id);
  if (!row) {
    throw noSuchObject('subscription', id, 'subscription', 400);
  }
  return row;
}

/** A generated invoice's derived values made explicit, so that a write can change them. */
function writtenOf(writer: BillingWriter, row: InvoiceRow): WrittenInvoice {
  if (row.written) {
    return row.written;
  }
  const rendered = writer.billing.invoices.render(row) as Record<string, unknown>;
  const transitions = rendered.status_transitions as Record<string, number | null>;
  const customer = generateCustomer(writer.seed, row.customerIndex, generatedCreated(writer.seed, row.customerIndex));
  const line = (rendered.lines as { data: { id: string; description: string }[] }).data[0];
  return {
    lines: [
      {
        id: line.id,
        amount: row.amount,
        description: line.description,
        start: row.lineStart,
        end: row.lineEnd,
        source: { subscriptionItem: subscriptionItemId(writer.seed, row.subscriptionIndex ?? 0) },
      },
    ],
    customer: customerDetails(customer),
    description: null,
    metadata: {},
    autoAdvance: rendered.auto_advance as boolean,
    collectionMethod: 'charge_automatically',
    dueDate: null,
    number: rendered.number as string | null,
    finalizedAt: transitions.finalized_at,
    paidAt: transitions.paid_at,
    voidedAt: transitions.voided_at,
    attempted: rendered.attempted as boolean,
  };
}

/** `<customer's prefix>-<n>`, n counting the customer's finalized invoices. */
function invoiceNumber(writer: BillingWriter, row: InvoiceRow): string {
  const prefix = writtenOf(writer, row).customer.invoice_prefix;
  const finalized = writer.billing.invoices
    .list()
    .filter((other) => other.customer === row.customer && other.status !== 'draft').length;
  return `${prefix}-${String(finalized + 1).padStart(4, '0')}`;
}

/** The card a charge_automatically invoice is paid with: its subscription's, else its customer's default. */
function paymentMethodOf(writer: BillingWriter, row: InvoiceRow): string | null {
  const subscription = row.subscription === null ? undefined : writer.billing.subscriptions.row(row.subscription);
  return subscription?.defaultPaymentMethod ?? customerOf(writer, row).invoice_settings.default_payment_method ?? null;
}

function customerOf(writer: BillingWriter, row: InvoiceRow): Customer {
  return liveCustomer(writer, row.customer);
}

function chargeDescription(row: InvoiceRow): string {
  return row.billingReason === 'subscription_create'
    ? 'Subscription creation'
    : row.billingReason === 'subscription_cycle'
      ? 'Subscription update'
      : 'Payment for Invoice';
}
