// Subscriptions, invoices and charges of the Stripe emulator seen through the official client, configured as
// our connector configures it: auto-pagination must yield exactly the generated objects.
import Stripe from 'stripe';
import {
  type Charge,
  type Invoice,
  startStripeEmulator,
  type StatsSnapshot,
  type StripeEmulator,
  type Subscription,
} from '../../emulators/stripe/src';

const NOW_MS = Date.UTC(2026, 0, 15, 12);

describe('Stripe emulator: subscriptions, invoices and charges through stripe-node', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const control = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const init: RequestInit = body
      ? { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : { method };
    const response = await fetch(`${emulator.url}/_emulator${path}`, init);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const generated = async <T>(kind: string): Promise<T[]> => (await control<{ data: T[] }>('GET', `/${kind}`)).data;
  const ids = (objects: { id: string }[]): string[] => objects.map((object) => object.id);
  // stripe-node turns `*_decimal` strings into Decimal objects, so objects are compared by their plain fields.
  const summary = (objects: { id: string; status: string | null; created: number }[]) =>
    objects.map(({ id, status, created }) => ({ id, status, created }));

  beforeAll(async () => {
    emulator = await startStripeEmulator({ customers: 1000, clock: () => NOW_MS });
    stripe = new Stripe('sk_test_tributary', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  });
  afterAll(() => emulator.close());

  it('auto-paginates every subscription with status all: exactly the generated set, newest first', async () => {
    const all = await generated<Subscription>('subscriptions');
    expect(all).toHaveLength(600);
    const listed = await stripe.subscriptions.list({ status: 'all', limit: 100 }).autoPagingToArray({ limit: 10_000 });
    expect(summary(listed)).toEqual(summary(all));
    expect(Object.keys(listed[0])).toEqual(Object.keys(all[0]));
    expect(new Set(ids(listed)).size).toBe(600);
    const stats = await control<StatsSnapshot>('GET', '/stats');
    expect(stats.byRoute['GET /v1/subscriptions']).toEqual({ '200': 6 });
    const statuses = new Set(listed.map((sub) => sub.status));
    expect([...statuses].sort()).toEqual(['active', 'canceled', 'incomplete_expired', 'past_due', 'trialing']);
  });

  it('hides canceled subscriptions by default, and lists trials with status trialing', async () => {
    const all = await generated<Subscription>('subscriptions');
    const visible = await stripe.subscriptions.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    expect(ids(visible)).toEqual(ids(all.filter((sub) => sub.status !== 'canceled')));
    const trials = await stripe.subscriptions
      .list({ status: 'trialing', limit: 100 })
      .autoPagingToArray({ limit: 1000 });
    expect(trials.length).toBeGreaterThan(0);
    trials.forEach((sub) => expect(sub.trial_end).toBeGreaterThan(NOW_MS / 1000));
  });

  it('lists invoices of a subscription and charges of a customer, and retrieves them', async () => {
    const [sub] = await generated<Subscription>('subscriptions');
    const invoices = await stripe.invoices.list({ subscription: sub.id }).autoPagingToArray({ limit: 100 });
    expect(ids(invoices)).toEqual(ids((await generated<Invoice>('invoices')).filter((i) => i.subscription === sub.id)));
    expect(invoices[0].id).toBe(sub.latest_invoice);
    expect(summary([await stripe.invoices.retrieve(invoices[0].id)])).toEqual(summary([invoices[0]]));
    const [charge] = await generated<Charge>('charges');
    const charges = await stripe.charges
      .list({ customer: charge.customer ?? undefined })
      .autoPagingToArray({ limit: 100 });
    expect(ids(charges)).toContain(charge.id);
    expect(summary([await stripe.charges.retrieve(charge.id)])).toEqual(summary([charge]));
    await expect(stripe.subscriptions.retrieve('sub_missing')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      message: "No such subscription: 'sub_missing'",
    });
  });
});
