import type Stripe from 'stripe';
import { STRIPE_OBJECTS, trialOf } from './stripe.objects';

const DAY = 86_400;
const TRIAL_END = 1_700_000_000;

function subscription(overrides: Partial<Stripe.Subscription>): Stripe.Subscription {
  return {
    id: 'sub_1',
    object: 'subscription',
    customer: 'cus_1',
    created: TRIAL_END - 30 * DAY,
    livemode: false,
    status: 'active',
    trial_start: TRIAL_END - 14 * DAY,
    trial_end: TRIAL_END,
    canceled_at: null,
    ended_at: null,
    ...overrides,
  } as Stripe.Subscription;
}

const convertedOf = (overrides: Partial<Stripe.Subscription>) => trialOf(subscription(overrides))[0]?.payload.converted;

describe('Stripe trials', () => {
  it('are their own object, keyed by id with the created cursor, beside the four listed ones', () => {
    expect(STRIPE_OBJECTS.map((o) => o.name)).toEqual(['customers', 'subscriptions', 'invoices', 'charges', 'trials']);
    expect(STRIPE_OBJECTS.every((o) => o.primaryKey === 'id' && o.cursorField === 'created')).toBe(true);
  });

  it('project a subscription with a trial to its dates, status and customer; one without has none', () => {
    expect(trialOf(subscription({ customer: { id: 'cus_9' } as Stripe.Customer }))).toEqual([
      {
        externalId: 'sub_1',
        payload: {
          id: 'sub_1',
          object: 'trial',
          subscription: 'sub_1',
          customer: 'cus_9',
          trial_start: TRIAL_END - 14 * DAY,
          trial_end: TRIAL_END,
          status: 'active',
          converted: true,
          created: TRIAL_END - 30 * DAY,
          livemode: false,
        },
      },
    ]);
    expect(trialOf(subscription({ trial_start: null, trial_end: null }))).toEqual([]);
  });

  it('say whether the trial converted: undecided while it runs, yes past it, no when it ended at or before its end', () => {
    expect(convertedOf({ status: 'trialing' })).toBeNull();
    expect(convertedOf({ status: 'past_due' })).toBe(true);
    expect(convertedOf({ status: 'unpaid' })).toBe(true);
    expect(convertedOf({ status: 'canceled', canceled_at: TRIAL_END - DAY, ended_at: TRIAL_END })).toBe(false);
    expect(convertedOf({ status: 'canceled', canceled_at: TRIAL_END + 40 * DAY, ended_at: TRIAL_END + 40 * DAY })).toBe(
      true,
    );
    expect(convertedOf({ status: 'paused' })).toBe(false);
    expect(convertedOf({ status: 'incomplete_expired' })).toBe(false);
  });
});
