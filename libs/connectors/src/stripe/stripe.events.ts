import type Stripe from 'stripe';
import type { ChangeVersion, RecordChange } from '../core/connector';
import { STRIPE_OBJECT_READERS, type StripeObject } from './stripe.objects';

const SUBSCRIPTION_EVENTS = [
  'customer.subscription.created',
  'customer.subscription.updated',
  // A canceled subscription: a live record with its status, not a delete.
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
];

/**
 * The event types that carry each object as `data.object` (at most 20: Stripe's `types[]` limit). Left out:
 * `invoice.upcoming` (a preview without an id), `charge.dispute.*` and `charge.refund.*` (other objects).
 */
export const STRIPE_EVENT_TYPES: Readonly<Record<string, readonly string[]>> = {
  customers: ['customer.created', 'customer.updated', 'customer.deleted'],
  subscriptions: SUBSCRIPTION_EVENTS,
  trials: SUBSCRIPTION_EVENTS,
  invoices: [
    'invoice.created',
    'invoice.updated',
    'invoice.deleted',
    'invoice.finalized',
    'invoice.finalization_failed',
    'invoice.marked_uncollectible',
    'invoice.overdue',
    'invoice.paid',
    'invoice.payment_action_required',
    'invoice.payment_failed',
    'invoice.payment_succeeded',
    'invoice.sent',
    'invoice.voided',
    'invoice.will_be_due',
  ],
  charges: [
    'charge.captured',
    'charge.expired',
    'charge.failed',
    'charge.pending',
    'charge.refunded',
    'charge.succeeded',
    'charge.updated',
  ],
};

// Deleted customers and (draft) invoices: soft deletes. Every other event leaves its object live.
const DELETE_EVENTS: ReadonlySet<string> = new Set(['customer.deleted', 'invoice.deleted']);

export function eventTypesOf(object: string): readonly string[] {
  return STRIPE_EVENT_TYPES[object] ?? [];
}

export function versionOf(event: Stripe.Event): ChangeVersion {
  return { at: event.created, id: event.id };
}

/** What `event` does to `object`'s records (none when it is not one of the object's types). */
export function changesOf(event: Stripe.Event, object: string): RecordChange[] {
  const reader = readerOf(object);
  if (!reader || !eventTypesOf(object).includes(event.type)) {
    return [];
  }
  const item = event.data.object as unknown as { id: string };
  const deleted = DELETE_EVENTS.has(event.type);
  return reader.map(item).map((record) => ({ ...record, deleted, version: versionOf(event) }));
}

/** Every object `event` touches, with its changes (a subscription's event also touches its trial). */
export function objectChangesOf(event: Stripe.Event): { object: string; change: RecordChange }[] {
  return Object.keys(STRIPE_EVENT_TYPES).flatMap((object) =>
    changesOf(event, object).map((change) => ({ object, change })),
  );
}

function readerOf(object: string): StripeObject | undefined {
  return STRIPE_OBJECT_READERS.find((o) => o.descriptor.name === object);
}
