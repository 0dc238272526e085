// What the invoice writes share: finding an invoice (404 or 400 when unknown), the explicit record a generated
// invoice becomes when first written (its derived values made explicit), moving it to another status, and the
// change that appends invoice.updated.
import { type BillingWriter, customerDetails, emit, liveCustomer } from '../billing-writer';
import type { Customer } from '../customers/customer';
import { generateCustomer, generatedCreated } from '../customers/generate';
import { noSuchObject } from '../errors';
import { previousAttributes } from '../events/previous';
import { subscriptionItemId } from '../subscriptions/generate';
import type { InvoiceRow, WrittenInvoice } from './generate';
import type { Invoice } from './invoice';

export function invoiceRow(writer: BillingWriter, id: string, param: string, status: 400 | 404): InvoiceRow {
  const row = writer.billing.invoices.row(id);
  if (!row) {
    throw noSuchObject('invoice', id, param, status);
  }
  return row;
}

/** A generated invoice's derived values made explicit, so that a write can change them. */
export function writtenOf(writer: BillingWriter, row: InvoiceRow): WrittenInvoice {
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

/** Moves the invoice to `status`; the caller emits the event of the move. */
export function transition(
  writer: BillingWriter,
  row: InvoiceRow,
  status: InvoiceRow['status'],
  edit: (written: WrittenInvoice) => WrittenInvoice,
): Invoice {
  const written = writtenOf(writer, row);
  return writer.billing.invoices.update(row.id, (old) => ({ ...old, status, written: edit(written) }))!.after;
}

/** Applies a change and appends invoice.updated when it changed anything. */
export function change(writer: BillingWriter, id: string, edit: (row: InvoiceRow) => InvoiceRow): Invoice {
  const written = writer.billing.invoices.update(id, edit)!;
  const previous = previousAttributes(written.before, written.after);
  if (previous) {
    emit(writer, 'invoice.updated', written.after, previous);
  }
  return written.after;
}

export function customerOf(writer: BillingWriter, row: InvoiceRow): Customer {
  return liveCustomer(writer, row.customer);
}

/** The card a charge_automatically invoice is paid with: its subscription's, else its customer's default. */
export function paymentMethodOf(writer: BillingWriter, row: InvoiceRow): string | null {
  const subscription = row.subscription === null ? undefined : writer.billing.subscriptions.row(row.subscription);
  return subscription?.defaultPaymentMethod ?? customerOf(writer, row).invoice_settings.default_payment_method ?? null;
}
