// Trials move with the clock, as Stripe's billing runs them: 3 days before `trial_end`,
// customer.subscription.trial_will_end; at `trial_end`, with a card the subscription becomes active and its first
// paid period is invoiced and charged; without one, `trial_settings.end_behavior.missing_payment_method` decides:
// create_invoice → past_due with an open invoice whose payment failed, pause → paused, cancel → canceled.
// Due moments are applied in time order whenever the emulator is asked anything (server.ts), so a clock advanced
// by a month at once still produces every event, stamped with the clock's now.
import { type BillingWriter, emit, liveCustomer } from '../billing-writer';
import { isDeclinedCard } from '../charges/writes';
import { subscriptionInvoice } from '../invoices/writes';
import { failPayment, finalizeInvoice, payInvoice } from '../invoices/lifecycle';
import { previousAttributes } from '../events/previous';
import { type SubscriptionRow, TRIAL_WILL_END_NOTICE } from './generate';

interface Due {
  at: number;
  kind: 'trial_will_end' | 'trial_end';
  id: string;
}

/** Applies every trial moment due by `writer.now`; returns how many were applied. */
export function advanceTrials(writer: BillingWriter): number {
  const due = dueMoments(writer.billing.subscriptions.list(), writer.now);
  for (const moment of due) {
    if (moment.kind === 'trial_will_end') {
      const written = writer.billing.subscriptions.update(moment.id, (row) => ({ ...row, trialWillEndSent: true }))!;
      emit(writer, 'customer.subscription.trial_will_end', written.after);
    } else {
      endTrial(writer, writer.billing.subscriptions.row(moment.id)!);
    }
  }
  return due.length;
}

function dueMoments(rows: readonly SubscriptionRow[], now: number): Due[] {
  const due: Due[] = [];
  for (const row of rows) {
    if (row.status !== 'trialing' || row.trialEnd === null) {
      continue;
    }
    if (!row.trialWillEndSent && row.trialEnd - TRIAL_WILL_END_NOTICE <= now) {
      due.push({ at: row.trialEnd - TRIAL_WILL_END_NOTICE, kind: 'trial_will_end', id: row.id });
    }
    if (row.trialEnd <= now) {
      due.push({ at: row.trialEnd, kind: 'trial_end', id: row.id });
    }
  }
  // Oldest first; a notice before its own trial's end (the notice is 3 days earlier, so `at` already orders it).
  return due.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function endTrial(writer: BillingWriter, row: SubscriptionRow): void {
  const trialEnd = row.trialEnd!;
  // Deleting a customer cancels their subscriptions first, so a trial that ends has a live customer.
  const card = row.defaultPaymentMethod ?? liveCustomer(writer, row.customer).invoice_settings.default_payment_method;
  if (card === null && row.missingPaymentMethod === 'cancel') {
    const ended = { status: 'canceled' as const, canceledAt: trialEnd, endedAt: trialEnd };
    return settle(writer, row, ended, 'customer.subscription.deleted');
  }
  if (card === null && row.missingPaymentMethod === 'pause') {
    settle(writer, row, { status: 'paused' }, 'customer.subscription.updated');
    emit(writer, 'customer.subscription.paused', writer.billing.subscriptions.retrieve(row.id)!);
    return;
  }
  // A declined card fails like a missing one: the invoice stays open and the subscription goes past_due.
  const pays = card !== null && !isDeclinedCard(card);
  const amount = row.price.amount * row.quantity;
  const invoice = subscriptionInvoice(
    writer,
    row,
    {
      start: trialEnd,
      end: trialEnd + row.price.seconds,
      amount,
      description: `${row.quantity} × ${row.price.product}`,
    },
    'subscription_cycle',
  );
  settle(
    writer,
    row,
    { status: pays ? 'active' : 'past_due', latestInvoice: invoice.id },
    'customer.subscription.updated',
  );
  if (!pays) {
    finalizeInvoice(writer, invoice.id);
    failPayment(writer, writer.billing.invoices.row(invoice.id)!);
  } else {
    payInvoice(writer, invoice.id, { paymentMethod: card, paidOutOfBand: false });
  }
}

/** The row after its trial: rendered as of the trial's end, with the change; one event (with previous_attributes
 * for updates, as Stripe sends them). */
function settle(
  writer: BillingWriter,
  row: SubscriptionRow,
  change: Partial<SubscriptionRow>,
  type: 'customer.subscription.updated' | 'customer.subscription.deleted',
): void {
  const written = writer.billing.subscriptions.update(row.id, (old) => ({ ...old, ...change, asOf: old.trialEnd! }))!;
  const updated = type === 'customer.subscription.updated';
  emit(writer, type, written.after, updated ? previousAttributes(written.before, written.after) : undefined);
}
