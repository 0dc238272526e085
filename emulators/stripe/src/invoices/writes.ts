// Writes that make and edit invoices: `POST /v1/invoices` makes a draft, `POST /v1/invoiceitems` adds a line to a
// draft, `POST /v1/invoices/:id` changes description, metadata and auto_advance, and a subscription's period
// invoice is made at its start or its trial's end. Each appends its invoice.* event; the lifecycle after the
// draft is in lifecycle.ts.
import { type BillingWriter, customerDetails, emit, liveCustomer } from '../billing-writer';
import type { Customer } from '../customers/customer';
import { invalidRequest, noSuchObject } from '../errors';
import { stableId } from '../ids';
import { subscriptionItemId } from '../subscriptions/generate';
import { type InvoiceRow, invoiceId, type WrittenInvoice, type WrittenLine } from './generate';
import { INVOICEITEM_SHAPE, type Invoice } from './invoice';
import { change, invoiceRow, writtenOf } from './written';

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

function subscriptionOf(writer: BillingWriter, id: string): { id: string; index: number; customer: string } {
  const row = writer.billing.subscriptions.row(id);
  if (!row) {
    throw noSuchObject('subscription', id, 'subscription', 400);
  }
  return row;
}
