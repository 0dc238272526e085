// Recent activity on top of the generated history, as a developer's account would show it (`npm run dev` seeds it;
// `POST /_emulator/activity` adds more): new customers who subscribe — with trials that will convert, cancel or
// pause, or paying at once —, one-off charges with a refund and a decline, draft invoices with items, an invoice
// paid out of band, and a few changes to generated customers and subscriptions. Everything goes through the
// emulator's own writes, so each change has its events (for /v1/events and webhooks). Deterministic for the seed
// and the state it starts from; stamped with the clock.
import { liveCustomer } from './billing-writer';
import { createCharge, refundCharge } from './charges/writes';
import { stablePick } from './ids';
import { addInvoiceItem, createInvoice } from './invoices/writes';
import { finalizeInvoice, payInvoice } from './invoices/lifecycle';
import { StripeApiError } from './errors';
import { NO_REQUEST } from './events/event';
import type { EmulatorState } from './state';
import { createSubscription } from './subscriptions/create';
import { subscriptionWriter, updateSubscription } from './subscriptions/writes';

export interface ActivitySummary {
  customers: number;
  subscriptions: number;
  invoices: number;
  charges: number;
  events: number;
}

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Thompson', 'Allen', 'Perlman'];
const CARD = 'pm_card_visa';

/** Adds `count` customers' worth of activity (each does one of six things in turn); returns what it added. */
export function seedActivity(state: EmulatorState, count = 12): ActivitySummary {
  const before = totals(state);
  for (let i = 0; i < count; i++) {
    customerActivity(state, i);
  }
  // Dashboard edits of generated objects: an incremental sync must pick these up too.
  state.customers.update({ count: Math.min(3, state.customers.list().length) });
  const active = state.billing.subscriptions.list().filter((row) => row.status === 'active' && !row.cancelAtPeriodEnd);
  for (const row of active.slice(0, 2)) {
    updateSubscription(subscriptionWriter(state.billingWriter()), row.id, { cancelAtPeriodEnd: true });
  }
  state.advanceBilling(); // the short trial's notice
  const after = totals(state);
  return {
    customers: after.customers - before.customers,
    subscriptions: after.subscriptions - before.subscriptions,
    invoices: after.invoices - before.invoices,
    charges: after.charges - before.charges,
    events: after.events - before.events,
  };
}

function customerActivity(state: EmulatorState, i: number): void {
  const name = `${stablePick(FIRST, state.seed, 'activity-first', i)} ${stablePick(LAST, state.seed, 'activity-last', i)}`;
  const customer = state.customers.create(
    { email: `buyer${String(i + 1).padStart(2, '0')}@shop.example`, name, metadata: { source: 'dev-activity' } },
    NO_REQUEST,
  ).id;
  const writer = state.billingWriter();
  const trial = (days: number, card: boolean, behavior: 'cancel' | 'create_invoice' | 'pause') =>
    createSubscription(writer, {
      customer,
      price: 'price_pro_monthly',
      quantity: 1,
      trialEnd: writer.now + days * 86_400,
      metadata: {},
      ...(card ? { defaultPaymentMethod: CARD } : {}),
      missingPaymentMethod: behavior,
    });
  const paid = (price: string) =>
    createSubscription(writer, {
      customer,
      price,
      quantity: 1 + (i % 3),
      metadata: {},
      defaultPaymentMethod: CARD,
      missingPaymentMethod: 'create_invoice',
    });
  const charge = (amount: number, source: string) =>
    createCharge(writer, {
      amount,
      customer: liveCustomer(writer, customer),
      source,
      description: 'One-off purchase',
      metadata: {},
      receiptEmail: null,
    });
  switch (i % 6) {
    case 0:
      trial(14, true, 'create_invoice'); // converts when it ends
      break;
    case 1:
      trial(7, false, 'cancel'); // no card: canceled when it ends
      break;
    case 2:
      paid('price_starter_monthly');
      refundCharge(writer, {
        charge: charge(4900, 'tok_visa').id,
        amount: 1500,
        reason: 'requested_by_customer',
        metadata: {},
      });
      break;
    case 3:
      trial(3, false, 'pause'); // ends within 3 days: its trial_will_end goes out at once
      break;
    case 4: {
      paid('price_pro_yearly');
      const draft = createInvoice(writer, draftInput(customer, 'Onboarding workshop'));
      addInvoiceItem(writer, item(customer, draft.id, 25_000, 'Workshop (half day)'));
      addInvoiceItem(writer, item(customer, draft.id, 4_000, 'Travel'));
      break;
    }
    default: {
      const invoice = createInvoice(writer, draftInput(customer, 'Consulting'));
      addInvoiceItem(writer, item(customer, invoice.id, 12_000, 'Consulting (2 h)'));
      finalizeInvoice(writer, invoice.id);
      payInvoice(writer, invoice.id, { paidOutOfBand: true });
      try {
        charge(2500, 'tok_chargeDeclined');
      } catch (error) {
        if (!(error instanceof StripeApiError)) {
          throw error;
        }
      }
    }
  }
}

function draftInput(customer: string, description: string) {
  return {
    customer,
    description,
    metadata: {},
    autoAdvance: false,
    collectionMethod: 'send_invoice' as const,
    daysUntilDue: 14,
  };
}

function item(customer: string, invoice: string, amount: number, description: string) {
  return { customer, invoice, amount, description, metadata: {} };
}

function totals(state: EmulatorState) {
  return {
    customers: state.customers.list().length,
    subscriptions: state.billing.subscriptions.list().length,
    invoices: state.billing.invoices.list().length,
    charges: state.billing.charges.list().length,
    events: state.events.list().length,
  };
}
