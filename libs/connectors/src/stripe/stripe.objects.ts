import type Stripe from 'stripe';
import type { MappedRecord, ObjectDescriptor } from '../core/connector';

/** One page request as every Stripe list takes it. */
export interface ListParams {
  limit: number;
  starting_after?: string;
  /** A window of a sliced first sync (stripe.windows.ts). */
  created?: { gte?: number; lt?: number };
}

interface Listed {
  id: string;
}

/**
 * How one object is read: the Stripe list it pages through (newest first, `starting_after` the last id
 * seen), and how each listed item becomes records (none, one, or a projection of it).
 */
export interface StripeObject {
  descriptor: ObjectDescriptor;
  list(stripe: Stripe, params: ListParams): Promise<Stripe.ApiList<Listed>>;
  map(item: Listed): MappedRecord[];
}

const asRecord = (item: Listed): MappedRecord[] => [
  { externalId: item.id, payload: item as unknown as Record<string, unknown> },
];

const described = (name: string): ObjectDescriptor => ({ name, primaryKey: 'id', cursorField: 'created' });

export const STRIPE_OBJECT_READERS: readonly StripeObject[] = [
  { descriptor: described('customers'), list: (s, p) => s.customers.list(p), map: asRecord },
  // status=all: a canceled subscription is a live record with its status, not a delete.
  {
    descriptor: described('subscriptions'),
    list: (s, p) => s.subscriptions.list({ ...p, status: 'all' }),
    map: asRecord,
  },
  { descriptor: described('invoices'), list: (s, p) => s.invoices.list(p), map: asRecord },
  { descriptor: described('charges'), list: (s, p) => s.charges.list(p), map: asRecord },
  // A trial is a subscription that has one; its record is the trial's own view of it.
  {
    descriptor: described('trials'),
    list: (s, p) => s.subscriptions.list({ ...p, status: 'all' }),
    map: (item) => trialOf(item as Stripe.Subscription),
  },
];

export const STRIPE_OBJECTS: ObjectDescriptor[] = STRIPE_OBJECT_READERS.map((o) => o.descriptor);

/**
 * The trial of a subscription, when it had one: its dates and status, and whether it converted — null while
 * it runs, false when the subscription ended or paused at or before the trial's end (or never got paid),
 * true when it went on past the trial.
 */
export function trialOf(subscription: Stripe.Subscription): MappedRecord[] {
  if (subscription.trial_start === null || subscription.trial_end === null) {
    return [];
  }
  return [
    {
      externalId: subscription.id,
      payload: {
        id: subscription.id,
        object: 'trial',
        subscription: subscription.id,
        customer: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
        trial_start: subscription.trial_start,
        trial_end: subscription.trial_end,
        status: subscription.status,
        converted: converted(subscription, subscription.trial_end),
        created: subscription.created,
        livemode: subscription.livemode,
      },
    },
  ];
}

// Statuses a subscription reaches only by going on past its trial (paying, or owing).
const PAST_TRIAL: ReadonlySet<Stripe.Subscription.Status> = new Set(['active', 'past_due', 'unpaid']);

function converted(subscription: Stripe.Subscription, trialEnd: number): boolean | null {
  if (subscription.status === 'trialing') {
    return null;
  }
  if (PAST_TRIAL.has(subscription.status)) {
    return true;
  }
  if (subscription.status === 'canceled') {
    const endedAt = subscription.ended_at ?? subscription.canceled_at;
    return endedAt !== null && endedAt > trialEnd;
  }
  // paused (the trial ended without a payment method), incomplete, incomplete_expired
  return false;
}
