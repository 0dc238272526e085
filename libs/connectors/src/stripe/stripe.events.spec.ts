import type Stripe from 'stripe';
import { STRIPE_OBJECTS } from './stripe.objects';
import { changesOf, objectChangesOf, STRIPE_EVENT_TYPES } from './stripe.events';

function event(type: string, object: Record<string, unknown>, id = 'evt_1', created = 1_700_000_000): Stripe.Event {
  return { id, object: 'event', type, created, data: { object } } as unknown as Stripe.Event;
}

const customer = { id: 'cus_1', object: 'customer', email: 'a@example.com' };
const trialing = {
  id: 'sub_1',
  object: 'subscription',
  customer: 'cus_1',
  status: 'canceled',
  trial_start: 1_690_000_000,
  trial_end: 1_700_500_000,
  canceled_at: 1_700_000_000,
  ended_at: 1_700_000_000,
  created: 1_690_000_000,
  livemode: false,
};

describe('Stripe events as record changes', () => {
  it('name at most 20 types per object (the types[] limit), for every synced object', () => {
    expect(Object.keys(STRIPE_EVENT_TYPES).sort()).toEqual(STRIPE_OBJECTS.map((o) => o.name).sort());
    for (const types of Object.values(STRIPE_EVENT_TYPES)) {
      expect(types.length).toBeGreaterThan(0);
      expect(types.length).toBeLessThanOrEqual(20);
    }
  });

  it('carry the event version, and delete only for customer.deleted and invoice.deleted', () => {
    expect(changesOf(event('customer.updated', customer, 'evt_9', 1_700_000_123), 'customers')).toEqual([
      { externalId: 'cus_1', payload: customer, deleted: false, version: { at: 1_700_000_123, id: 'evt_9' } },
    ]);
    expect(changesOf(event('customer.deleted', customer), 'customers')[0]).toMatchObject({
      deleted: true,
      payload: customer,
    });
    const draft = { id: 'in_1', object: 'invoice', status: 'draft' };
    expect(changesOf(event('invoice.deleted', draft), 'invoices')[0]).toMatchObject({
      externalId: 'in_1',
      deleted: true,
    });
    expect(changesOf(event('invoice.paid', draft), 'invoices')[0]).toMatchObject({ deleted: false });
  });

  it('keep a canceled subscription live, and update its trial (which did not convert)', () => {
    const touched = objectChangesOf(event('customer.subscription.deleted', trialing));
    expect(touched.map((t) => [t.object, t.change.deleted])).toEqual([
      ['subscriptions', false],
      ['trials', false],
    ]);
    expect(touched[1].change.payload).toMatchObject({ object: 'trial', status: 'canceled', converted: false });
  });

  it('ignore events of other objects and of other types', () => {
    expect(objectChangesOf(event('charge.dispute.created', { id: 'dp_1', object: 'dispute' }))).toEqual([]);
    expect(changesOf(event('customer.updated', customer), 'invoices')).toEqual([]);
    // A subscription without a trial has no trial record.
    expect(
      objectChangesOf(event('customer.subscription.updated', { ...trialing, trial_start: null, trial_end: null })).map(
        (t) => t.object,
      ),
    ).toEqual(['subscriptions']);
  });
});
