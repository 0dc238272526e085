// The generated subscriptions, invoices and charges of the generated customers. They depend only on the seed,
// the counts and the clock at generation, not on customers added, changed or deleted later.
import { type ChargeRow, generateChargeRows } from './charges/generate';
import { type Charge, renderCharge } from './charges/charge';
import type { ObjectCounts } from './counts';
import { GeneratedList } from './generated-list';
import { generateInvoiceRows, type InvoiceRow } from './invoices/generate';
import { type Invoice, renderInvoice } from './invoices/invoice';
import { generateSubscriptionRows, type SubscriptionRow } from './subscriptions/generate';
import { renderSubscription, type Subscription } from './subscriptions/subscription';

export interface Billing {
  subscriptions: GeneratedList<SubscriptionRow, Subscription>;
  invoices: GeneratedList<InvoiceRow, Invoice>;
  charges: GeneratedList<ChargeRow, Charge>;
}

/** `now` in unix seconds: trials end after it, cancellations and invoices lie before it. */
export function generateBilling(seed: number, counts: ObjectCounts, now: number): Billing {
  const subscriptionRows = generateSubscriptionRows(seed, counts, now);
  const context = { seed, counts, now };
  return {
    subscriptions: new GeneratedList(subscriptionRows, (row) => renderSubscription(row, context)),
    invoices: new GeneratedList(generateInvoiceRows(seed, counts, subscriptionRows, now), (row) =>
      renderInvoice(row, seed),
    ),
    charges: new GeneratedList(generateChargeRows(seed, counts), (row) => renderCharge(row, seed)),
  };
}
