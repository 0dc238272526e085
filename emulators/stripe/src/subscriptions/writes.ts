// Writes to generated subscriptions: `POST /v1/subscriptions/:id` (metadata, cancel_at_period_end) and
// `DELETE /v1/subscriptions/:id` (cancel now). Each appends its customer.subscription.* event.
import type { BillingWriter } from '../billing-writer';
import { invalidRequest } from '../errors';
import type { EventOrigin } from '../events/event';
import type { EventLog } from '../events/log';
import { previousAttributes } from '../events/previous';
import type { GeneratedList } from '../generated-list';
import type { SubscriptionRow } from './generate';
import type { Subscription } from './subscription';

export interface SubscriptionChange {
  metadata?: Record<string, string>;
  cancelAtPeriodEnd?: boolean;
}

export interface SubscriptionWriter {
  list: GeneratedList<SubscriptionRow, Subscription>;
  events: Pick<EventLog, 'append'>;
  now: number;
  request: EventOrigin;
}

/** The updated subscription, or undefined when there is none of that id. */
export function updateSubscription(
  writer: SubscriptionWriter,
  id: string,
  change: SubscriptionChange,
): Subscription | undefined {
  const written = writer.list.update(id, (row) => {
    if (change.cancelAtPeriodEnd !== undefined && row.endedAt !== null) {
      throw endedSubscription();
    }
    return withChange(row, change, writer.now);
  });
  if (!written) {
    return undefined;
  }
  const previous = previousAttributes(written.before, written.after);
  if (previous) {
    writer.events.append({
      type: 'customer.subscription.updated',
      object: written.after,
      previous,
      request: writer.request,
    });
  }
  return written.after;
}

/** Cancels at once: status canceled, canceled_at and ended_at now; undefined when there is none of that id. */
export function cancelSubscription(writer: SubscriptionWriter, id: string): Subscription | undefined {
  const written = writer.list.update(id, (row) => {
    if (row.endedAt !== null) {
      throw endedSubscription();
    }
    return { ...row, status: 'canceled', canceledAt: writer.now, endedAt: writer.now, cancelAtPeriodEnd: false };
  });
  if (written) {
    writer.events.append({ type: 'customer.subscription.deleted', object: written.after, request: writer.request });
  }
  return written?.after;
}

/** A deleted customer's subscriptions that have not ended are canceled now, as Stripe cancels them. */
export function cancelCustomerSubscriptions(writer: BillingWriter, customer: string): void {
  const live = writer.billing.subscriptions.list().filter((row) => row.customer === customer && row.endedAt === null);
  for (const row of live) {
    cancelSubscription(subscriptionWriter(writer), row.id);
  }
}

/** The subscription writes' view of a billing writer. */
export function subscriptionWriter(writer: BillingWriter): SubscriptionWriter {
  return { list: writer.billing.subscriptions, events: writer.events, now: writer.now, request: writer.request };
}

function withChange(row: SubscriptionRow, change: SubscriptionChange, now: number): SubscriptionRow {
  const metadata = change.metadata ?? row.metadata;
  if (change.cancelAtPeriodEnd === undefined || change.cancelAtPeriodEnd === (row.cancelAtPeriodEnd ?? false)) {
    return { ...row, metadata };
  }
  // Stripe stamps canceled_at when the cancellation is requested, and clears it when it is withdrawn.
  const canceledAt = change.cancelAtPeriodEnd ? now : null;
  return { ...row, metadata, cancelAtPeriodEnd: change.cancelAtPeriodEnd, canceledAt };
}

/** Stripe refuses to change or cancel a subscription that has ended (the wording is a guess). */
function endedSubscription(): Error {
  return invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
}
