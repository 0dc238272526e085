// Writes and events of the Stripe emulator through the official client, as the incremental sync will read
// them: every write appears in stripe.events.list exactly once, newest first, with its data, and the
// controllable clock ages events out after 30 days.
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type Subscription } from '../../emulators/stripe/src';

const START = Date.UTC(2026, 0, 15, 12) / 1000;
const TYPES = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;

describe('Stripe emulator: writes and events through stripe-node', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const control = async <T>(path: string, body?: object): Promise<T> => {
    const init: RequestInit = body
      ? { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : { method: 'GET' };
    const response = await fetch(`${emulator.url}/_emulator${path}`, init);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const events = () => stripe.events.list({ types: [...TYPES], limit: 100 }).autoPagingToArray({ limit: 1000 });

  beforeAll(async () => {
    emulator = await startStripeEmulator({ customers: 50 });
    stripe = new Stripe('sk_test_tributary', { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    expect(await control('/clock', { now: START })).toEqual({ now: START, pinned: true });
  });
  afterAll(() => emulator.close());

  it('lists exactly the events of the writes, newest first, then forgets them after 30 days', async () => {
    const customer = await stripe.customers.create({ email: 'a@example.test', name: 'A', metadata: { plan: 'free' } });
    await control('/clock', { advance: 60 });
    const updated = await stripe.customers.update(customer.id, { email: 'b@example.test', metadata: { plan: 'pro' } });
    await control('/clock', { advance: 60 });
    await expect(stripe.customers.del(customer.id)).resolves.toMatchObject({ id: customer.id, deleted: true });
    const { data } = await control<{ data: Subscription[] }>('/subscriptions');
    const active = data.find((sub) => sub.status === 'active')!;
    const changed = await stripe.subscriptions.update(active.id, { metadata: { crm: 'x1' } });
    const canceled = await stripe.subscriptions.cancel(active.id);

    const listed = await events();
    expect(listed.map((event) => [event.type, event.created])).toEqual([
      ['customer.subscription.deleted', START + 120],
      ['customer.subscription.updated', START + 120],
      ['customer.deleted', START + 120],
      ['customer.updated', START + 60],
      ['customer.created', START],
    ]);
    const [deletedSub, updatedSub, deletedCustomer, updatedCustomer, createdCustomer] = listed;
    expect(createdCustomer.data).toEqual({ object: customer });
    expect(updatedCustomer.data).toEqual({
      object: updated,
      previous_attributes: { email: 'a@example.test', metadata: { plan: 'free' } },
    });
    expect(deletedCustomer.data).toEqual({ object: updated });
    expect(updatedSub.data.previous_attributes).toEqual({ metadata: { crm: null } });
    expect((updatedSub.data.object as Stripe.Subscription).metadata).toEqual(changed.metadata);
    expect(deletedSub.data.object).toMatchObject({ id: active.id, status: 'canceled', canceled_at: START + 120 });
    expect(canceled.ended_at).toBe(START + 120);
    expect(await stripe.events.retrieve(createdCustomer.id)).toEqual(createdCustomer);
    expect(createdCustomer.request?.idempotency_key).toEqual(expect.any(String));
    const onlyDeletes = await stripe.events.list({ types: ['customer.deleted', 'customer.subscription.deleted'] });
    expect(onlyDeletes.data.map((event) => event.id)).toEqual([deletedSub.id, deletedCustomer.id]);

    await control('/clock', { advance: 31 * 86_400 });
    expect(await events()).toEqual([]);
    await expect(stripe.events.retrieve(createdCustomer.id)).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});
