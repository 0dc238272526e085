// Writes to charges: `POST /v1/charges` (a card payment, declined for Stripe's decline test cards),
// `POST /v1/charges/:id` (description, metadata) and `POST /v1/refunds`, and the charge an invoice payment
// makes. Each appends its charge.* event: succeeded or failed, updated (previous_attributes), refunded.
import { type BillingWriter, emit } from '../billing-writer';
import type { Customer } from '../customers/customer';
import { generateCustomer, generatedCreated } from '../customers/generate';
import { invalidRequest, noSuchObject, StripeApiError } from '../errors';
import { previousAttributes } from '../events/previous';
import { stableId } from '../ids';
import { type Charge, renderRefund } from './charge';
import type { ChargeRow, WrittenCharge } from './generate';

export interface ChargeInput {
  amount: number;
  customer: Customer | null;
  /** The card: a token or payment method; Stripe's decline test cards (`tok_chargeDeclined`…) are declined. */
  source: string;
  description: string | null;
  metadata: Record<string, string>;
  receiptEmail: string | null;
}

export interface ChargeChange {
  description?: string | null;
  metadata?: Record<string, string>;
}

export interface RefundInput {
  charge: string;
  amount?: number;
  reason: string | null;
  metadata: Record<string, string>;
}

/** A charge now: charge.succeeded, or charge.failed and Stripe's 402 card_declined naming the charge. */
export function createCharge(writer: BillingWriter, input: ChargeInput): Charge {
  const declined = isDeclinedCard(input.source);
  const charge = writer.billing.charges.insert(chargeRow(writer, input, declined ? 'failed' : 'succeeded'));
  if (declined) {
    emit(writer, 'charge.failed', charge);
    throw new StripeApiError(402, 'Your card was declined.', {
      type: 'card_error',
      code: 'card_declined',
      extra: { charge: charge.id, decline_code: 'generic_decline' },
    });
  }
  emit(writer, 'charge.succeeded', charge);
  return charge;
}

/** True for Stripe's test cards that decline (`tok_chargeDeclined`, `pm_card_chargeDeclined…`). */
export function isDeclinedCard(source: string): boolean {
  return /chargeDeclined/i.test(source);
}

export function updateCharge(writer: BillingWriter, id: string, change: ChargeChange): Charge {
  const written = writer.billing.charges.update(id, (row) => {
    const current = writtenOf(row, writer.seed);
    return {
      ...row,
      written: {
        ...current,
        description: change.description === undefined ? current.description : change.description,
        metadata: change.metadata ?? current.metadata,
      },
    };
  });
  if (!written) {
    throw noSuchObject('charge', id, 'id', 404);
  }
  const previous = previousAttributes(written.before, written.after);
  if (previous) {
    emit(writer, 'charge.updated', written.after, previous);
  }
  return written.after;
}

/** `POST /v1/refunds`: the refund; the charge's event is charge.refunded, with previous_attributes. */
export function refundCharge(writer: BillingWriter, input: RefundInput): object {
  const row = writer.billing.charges.row(input.charge);
  if (!row) {
    throw noSuchObject('charge', input.charge, 'charge', 400);
  }
  const current = writtenOf(row, writer.seed);
  const refunded = current.refunds.reduce((sum, refund) => sum + refund.amount, 0);
  if (row.status !== 'succeeded') {
    // The wording is a guess: Stripe refuses to refund a charge that did not succeed.
    throw invalidRequest(`Charge ${row.id} has not succeeded and cannot be refunded.`, { param: 'charge' });
  }
  if (refunded >= row.amount) {
    throw invalidRequest(`Charge ${row.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const amount = input.amount ?? row.amount - refunded;
  if (amount > row.amount - refunded) {
    throw invalidRequest(
      `Refund amount (${dollars(amount)}) is greater than unrefunded amount on charge (${dollars(row.amount - refunded)})`,
      { param: 'amount' },
    );
  }
  const refund = {
    id: stableId('re_', 24, writer.seed, 'refund', row.id, current.refunds.length),
    amount,
    created: writer.now,
    reason: input.reason,
    metadata: input.metadata,
  };
  const written = writer.billing.charges.update(row.id, (old) => ({
    ...old,
    written: { ...current, refunds: [...current.refunds, refund] },
  }))!;
  emit(writer, 'charge.refunded', written.after, previousAttributes(written.before, written.after));
  return renderRefund(refund, row, writer.seed);
}

/** The succeeded charge of an invoice paid by card (post-basil charges do not name their invoice). */
export function chargeInvoice(writer: BillingWriter, customer: Customer, amount: number, description: string): Charge {
  const input = { amount, customer, source: 'card', description, metadata: {}, receiptEmail: customer.email };
  const charge = writer.billing.charges.insert(chargeRow(writer, input, 'succeeded'));
  emit(writer, 'charge.succeeded', charge);
  return charge;
}

function chargeRow(writer: BillingWriter, input: ChargeInput, status: ChargeRow['status']): ChargeRow {
  const index = writer.billing.charges.takeIndex();
  const customer = input.customer;
  return {
    index,
    id: stableId('ch_', 24, writer.seed, 'charge', index),
    created: writer.now,
    customer: customer?.id ?? null,
    customerIndex: -1,
    status,
    amount: input.amount,
    written: {
      billing: {
        address: customer?.address ?? null,
        email: customer?.email ?? null,
        name: customer?.name ?? null,
        phone: customer?.phone ?? null,
      },
      description: input.description,
      metadata: input.metadata,
      receiptEmail: status === 'succeeded' ? (input.receiptEmail ?? customer?.email ?? null) : null,
      refunds: [],
    },
  };
}

/** A generated charge's derived values made explicit, so a write can change them. */
function writtenOf(row: ChargeRow, seed: number): WrittenCharge {
  if (row.written) {
    return row.written;
  }
  const customer = generateCustomer(seed, row.customerIndex, generatedCreated(seed, row.customerIndex));
  return {
    billing: { address: customer.address, email: customer.email, name: customer.name, phone: customer.phone },
    description: 'One-off purchase',
    metadata: { tributary_index: String(row.index) },
    receiptEmail: row.status === 'succeeded' ? customer.email : null,
    refunds: [],
  };
}

function dollars(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
