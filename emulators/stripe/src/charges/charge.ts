// The charge object rendered from its row, with exactly the fields of Stripe's own sample
// (fixtures/charge.json; see shape.ts): post-basil, so no `invoice` field.
import fixture from '../../fixtures/charge.json';
import refundFixture from '../../fixtures/refund.json';
import { generateCustomer, generatedCreated } from '../customers/generate';
import { stableId } from '../ids';
import { fixtureShape } from '../shape';
import type { ChargeRow, Refund } from './generate';

export const CHARGE_SHAPE = fixtureShape('charge', fixture);
export const REFUND_SHAPE = fixtureShape('refund', refundFixture);

/** The fields lists filter on, typed; the other fixture fields are present but not typed here. */
export interface Charge {
  id: string;
  object: 'charge';
  created: number;
  customer: string | null;
  status: 'succeeded' | 'failed' | 'pending';
  [field: string]: unknown;
}

export function renderCharge(row: ChargeRow, seed: number): Charge {
  const generated = row.written
    ? undefined
    : generateCustomer(seed, row.customerIndex, generatedCreated(seed, row.customerIndex));
  const billing = row.written?.billing ?? {
    address: generated!.address,
    email: generated!.email,
    name: generated!.name,
    phone: generated!.phone,
  };
  const succeeded = row.status === 'succeeded';
  const refunds = row.written?.refunds ?? [];
  const refunded = refunds.reduce((sum, refund) => sum + refund.amount, 0);
  return CHARGE_SHAPE.shape({
    ...STRIPE_DEFAULTS,
    id: row.id,
    object: 'charge',
    amount: row.amount,
    amount_captured: succeeded ? row.amount : 0,
    balance_transaction: succeeded ? stableId('txn_', 24, seed, 'balance_transaction', row.index) : null,
    amount_refunded: refunded,
    billing_details: { ...billing, tax_id: null },
    captured: succeeded,
    created: row.created,
    customer: row.customer,
    description: row.written ? row.written.description : 'One-off purchase',
    failure_code: succeeded ? null : 'card_declined',
    failure_message: succeeded ? null : 'Your card was declined.',
    metadata: row.written?.metadata ?? { tributary_index: String(row.index) },
    outcome: succeeded ? APPROVED : DECLINED,
    paid: succeeded,
    payment_intent: stableId('pi_', 24, seed, 'payment_intent', row.index),
    payment_method: stableId('pm_', 24, seed, 'charge_pm', row.index),
    receipt_email: row.written ? row.written.receiptEmail : succeeded ? billing.email : null,
    receipt_url: succeeded ? `https://pay.stripe.com/receipts/emulated/${row.id}` : null,
    refunded: refunded > 0 && refunded === row.amount,
    refunds: {
      object: 'list',
      data: refunds.map((refund) => renderRefund(refund, row, seed)),
      has_more: false,
      url: `/v1/charges/${row.id}/refunds`,
    },
    status: row.status,
  });
}

/** The refund object, with exactly the fields of Stripe's own sample (fixtures/refund.json). */
export function renderRefund(refund: Refund, charge: ChargeRow, seed: number): object {
  return REFUND_SHAPE.shape({
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    balance_transaction: stableId('txn_', 24, seed, 'refund_txn', refund.id),
    charge: charge.id,
    created: refund.created,
    currency: 'usd',
    customer: charge.customer,
    customer_account: null,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: refund.metadata,
    payment_intent: stableId('pi_', 24, seed, 'payment_intent', charge.index),
    payment_method: stableId('pm_', 24, seed, 'charge_pm', charge.index),
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  });
}

const APPROVED = {
  advice_code: null,
  network_advice_code: null,
  network_decline_code: null,
  network_status: 'approved_by_network',
  reason: null,
  risk_level: 'normal',
  seller_message: 'Payment complete.',
  type: 'authorized',
};

const DECLINED = {
  advice_code: 'try_again_later',
  network_advice_code: null,
  network_decline_code: null,
  network_status: 'declined_by_network',
  reason: 'generic_decline',
  risk_level: 'normal',
  seller_message: 'The bank did not return any further details with this decline.',
  type: 'issuer_declined',
};

/** The fields every generated charge shares: a card payment in USD, not refunded or disputed. */
const STRIPE_DEFAULTS = {
  application: null,
  application_fee: null,
  application_fee_amount: null,
  calculated_statement_descriptor: 'TRIBUTARY',
  currency: 'usd',
  disputed: false,
  failure_balance_transaction: null,
  fraud_details: {},
  livemode: false,
  on_behalf_of: null,
  payment_method_details: {
    card: {
      brand: 'visa',
      country: 'US',
      exp_month: 8,
      exp_year: 2030,
      funding: 'credit',
      last4: '4242',
      network: 'visa',
    },
    type: 'card',
  },
  receipt_number: null,
  review: null,
  shipping: null,
  source: null,
  source_transfer: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  transfer_data: null,
  transfer_group: null,
};
