// An invoice's lifecycle after its draft, as Stripe runs it: `/finalize` turns a draft into an open invoice with a
// number (a 0 one is paid at once), `/pay` pays it by card (a charge) or out of band, `/void` voids it, and
// `DELETE` deletes a draft (only drafts). Each appends its invoice.* events.
import { type BillingWriter, emit } from '../billing-writer';
import { chargeInvoice, isDeclinedCard } from '../charges/writes';
import { invalidRequest, StripeApiError } from '../errors';
import type { InvoiceRow } from './generate';
import type { Invoice } from './invoice';
import { customerOf, invoiceRow, paymentMethodOf, transition, writtenOf } from './written';

export interface PayInput {
  paymentMethod?: string;
  paidOutOfBand: boolean;
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

/** `<customer's prefix>-<n>`, n counting the customer's finalized invoices. */
function invoiceNumber(writer: BillingWriter, row: InvoiceRow): string {
  const prefix = writtenOf(writer, row).customer.invoice_prefix;
  const finalized = writer.billing.invoices
    .list()
    .filter((other) => other.customer === row.customer && other.status !== 'draft').length;
  return `${prefix}-${String(finalized + 1).padStart(4, '0')}`;
}

function chargeDescription(row: InvoiceRow): string {
  return row.billingReason === 'subscription_create'
    ? 'Subscription creation'
    : row.billingReason === 'subscription_cycle'
      ? 'Subscription update'
      : 'Payment for Invoice';
}
