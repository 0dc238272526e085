import Stripe from 'stripe';
import { stripeClientOptions } from '../../libs/connectors/src/stripe/stripe.connector';
import { STRIPE_EVENT_TYPES } from '../../libs/connectors/src/stripe/stripe.events';
import { queryTestDb } from '../utils/database';
import { createStripeSource, liveRecords, type RunNode, syncAndWait } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

type Listed = { id: string } & Record<string, unknown>;

// Issue 9 point 2 for the billing objects: invoices (a deleted draft is a soft delete), charges, and trials,
// which follow their subscription's customer.subscription.* events.
describe('Incremental Stripe syncs of subscriptions, trials, invoices and charges', () => {
  let stack: SyncStack;
  let stripe: Stripe;
  let sourceId: string;
  const OBJECTS = ['subscriptions', 'trials', 'invoices', 'charges'];

  beforeAll(async () => {
    stack = await startSyncStack({ customers: 40, apiEnv: { SYNC_FULL_REFRESH_MINUTES: '1440' } });
    stripe = new Stripe('sk_test_tributary', stripeClientOptions(stack.stripe.url));
    sourceId = await createStripeSource(stack, 'Billing, incremental');
    for (const object of OBJECTS) {
      expect(await sync(object)).toMatchObject({ mode: 'FULL_REFRESH', status: 'SUCCEEDED' });
    }
  }, 300_000);
  afterAll(() => stack?.close());

  const sync = (object: string): Promise<RunNode> => syncAndWait(stack, sourceId, 120_000, object);
  const truth = async (object: string): Promise<Map<string, Listed>> => {
    const res = await fetch(`${stack.stripe.url}/_emulator/${object}`);
    return new Map(((await res.json()) as { data: Listed[] }).data.map((o) => [o.id, o]));
  };
  /** Events of `object`'s types after the event `since`, as Stripe lists them. */
  const eventsSince = async (object: string, since: string | undefined): Promise<number> =>
    (
      await stripe.events.list({
        limit: 100,
        ...(since ? { ending_before: since } : {}),
        types: [...STRIPE_EVENT_TYPES[object]],
      })
    ).data.length;
  // Undefined before any event (a fresh emulator: generated objects have none).
  const newestEvent = async (): Promise<string | undefined> => (await stripe.events.list({ limit: 1 })).data[0]?.id;
  /** A run's counts add up, and it read exactly the events of its types since `since`. */
  const expectExact = async (run: RunNode, object: string, since: string | undefined): Promise<void> => {
    expect(run).toMatchObject({
      mode: 'INCREMENTAL',
      status: 'SUCCEEDED',
      recordsRead: await eventsSince(object, since),
    });
    expect(run.recordsInserted + run.recordsUpdated + run.recordsUnchanged + run.recordsDeleted).toBe(run.recordsRead);
  };

  it('a new subscription with a trial, its invoice, a draft invoice later deleted and a refunded charge arrive from events', async () => {
    const since = await newestEvent();
    const customer = await stripe.customers.create({ email: 'billing@example.com' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: 'price_pro_monthly' }],
      trial_period_days: 14,
      default_payment_method: 'pm_card_visa',
    });
    const draft = await stripe.invoices.create({ customer: customer.id, description: 'One-off' });
    const charge = await stripe.charges.create({
      amount: 1500,
      currency: 'usd',
      customer: customer.id,
      source: 'tok_visa',
    });
    await stripe.refunds.create({ charge: charge.id });

    const subscriptions = await sync('subscriptions');
    await expectExact(subscriptions, 'subscriptions', since);
    expect(subscriptions).toMatchObject({ recordsInserted: 1, recordsUpdated: 0, recordsDeleted: 0 });
    const trials = await sync('trials');
    await expectExact(trials, 'trials', since);
    expect(trials).toMatchObject({ recordsInserted: 1, recordsUpdated: 0 });
    expect((await liveRecords(sourceId, 'trials')).get(subscription.id)).toMatchObject({
      status: 'trialing',
      converted: null,
    });
    const invoices = await sync('invoices');
    await expectExact(invoices, 'invoices', since);
    expect(invoices).toMatchObject({ recordsInserted: 2, recordsUpdated: 0, recordsDeleted: 0 });
    const charges = await sync('charges');
    await expectExact(charges, 'charges', since);
    expect(charges).toMatchObject({ recordsInserted: 1, recordsUpdated: 0 });

    for (const object of ['subscriptions', 'invoices', 'charges']) {
      const expected = await truth(object);
      const stored = await liveRecords(sourceId, object);
      expect(new Set(stored.keys())).toEqual(new Set(expected.keys()));
      for (const [id, item] of expected) {
        expect(stored.get(id)).toEqual(item);
      }
    }
    expect((await liveRecords(sourceId, 'charges')).get(charge.id)).toMatchObject({ refunded: true });

    const beforeDelete = await newestEvent();
    await stripe.invoices.del(draft.id);
    const deleted = await sync('invoices');
    await expectExact(deleted, 'invoices', beforeDelete);
    expect(deleted).toMatchObject({ recordsRead: 1, recordsDeleted: 1, recordsInserted: 0 });
    const [row] = await queryTestDb<{ deleted_at: Date | null }>(
      `SELECT deleted_at FROM records WHERE source_id = $1 AND object = 'invoices' AND external_id = $2`,
      [sourceId, draft.id],
    );
    expect(row.deleted_at).not.toBeNull();
  }, 300_000);

  it('trials follow their subscription: a canceled trial did not convert', async () => {
    const since = await newestEvent();
    const trialing = [...(await truth('subscriptions')).values()].find((s) => s.status === 'trialing')!;
    await stripe.subscriptions.cancel(trialing.id);
    const trials = await sync('trials');
    await expectExact(trials, 'trials', since);
    expect(trials).toMatchObject({ recordsRead: 1, recordsUpdated: 1 });
    expect((await liveRecords(sourceId, 'trials')).get(trialing.id)).toMatchObject({
      status: 'canceled',
      converted: false,
    });
    const subscriptions = await sync('subscriptions');
    expect(subscriptions).toMatchObject({ mode: 'INCREMENTAL', recordsRead: 1, recordsUpdated: 1, recordsDeleted: 0 });
    expect((await liveRecords(sourceId, 'subscriptions')).get(trialing.id)).toEqual(
      (await truth('subscriptions')).get(trialing.id),
    );
  }, 300_000);
});
