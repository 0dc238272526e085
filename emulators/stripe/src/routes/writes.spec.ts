// Writes through the HTTP routes, the events they append, the events list and its retention by the clock.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server';
import { EmulatorState } from '../state';

const NOW = Date.UTC(2026, 0, 15, 12) / 1000;
const AUTH = { authorization: 'Bearer sk_test_tributary' };
const FORM = { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' };
type Json = Record<string, any>;

describe('write routes and events', () => {
  let state: EmulatorState;
  let app: FastifyInstance;

  beforeEach(() => {
    state = new EmulatorState({ customers: 20, seed: 5, clock: () => NOW * 1000 });
    app = buildApp(state);
  });
  afterEach(() => app.close());

  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: string) => {
    const response = await app.inject({ method, url, payload, headers: payload === undefined ? AUTH : FORM });
    return { status: response.statusCode, body: response.json<Json>() };
  };
  const advance = (seconds: number) =>
    app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advance: seconds } });
  const eventTypes = async (query = '') =>
    (await call('GET', `/v1/events?limit=100${query}`)).body.data.map((e: Json) => e.type);

  it('creates, updates and deletes a customer, each with its event', async () => {
    const created = await call('POST', '/v1/customers', 'email=new%40x.test&name=New&metadata[plan]=free');
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ email: 'new@x.test', name: 'New', metadata: { plan: 'free' }, created: NOW });
    const { id } = created.body;
    await advance(10);
    const updated = await call('POST', `/v1/customers/${id}`, 'name=&metadata[plan]=pro&metadata[team]=core');
    expect(updated.body).toMatchObject({ email: 'new@x.test', name: null, metadata: { plan: 'pro', team: 'core' } });
    expect((await call('DELETE', `/v1/customers/${id}`)).body).toEqual({ id, object: 'customer', deleted: true });
    expect((await call('GET', `/v1/customers/${id}`)).body).toEqual({ id, object: 'customer', deleted: true });
    expect((await call('GET', `/v1/customers?starting_after=${id}`)).body.error.code).toBe('resource_missing');
    expect((await call('POST', `/v1/customers/${id}`, 'name=x')).status).toBe(404);

    const events = (await call('GET', '/v1/events')).body.data as Json[];
    expect(events.map((e) => e.type)).toEqual(['customer.deleted', 'customer.updated', 'customer.created']);
    expect(events.map((e) => e.created)).toEqual([NOW + 10, NOW + 10, NOW]);
    expect(events[1].data).toEqual({
      object: updated.body,
      previous_attributes: { name: 'New', metadata: { plan: 'free', team: null } },
    });
    expect(events[0].data).toEqual({ object: updated.body });
    expect(Object.keys(events[2])).toEqual(['id', 'object', ...Object.keys(events[2]).slice(2)]);
    expect(events[2].request.id).toMatch(/^req_/);
    expect((await call('GET', `/v1/events/${events[1].id}`)).body).toEqual(events[1]);
  });

  it('updates and cancels a subscription with customer.subscription events', async () => {
    const sub = state.billing.subscriptions.all().find((s) => s.status === 'active')!;
    const updated = await call('POST', `/v1/subscriptions/${sub.id}`, 'cancel_at_period_end=true&metadata[k]=v');
    expect(updated.body).toMatchObject({ cancel_at_period_end: true, canceled_at: NOW, metadata: { k: 'v' } });
    expect(updated.body.cancel_at).toBeGreaterThan(NOW);
    const canceled = await call('DELETE', `/v1/subscriptions/${sub.id}?prorate=false`);
    expect(canceled.body).toMatchObject({ status: 'canceled', canceled_at: NOW, ended_at: NOW, cancel_at: null });
    expect((await call('DELETE', `/v1/subscriptions/${sub.id}`)).status).toBe(400);
    const [deleted, changed] = (await call('GET', '/v1/events')).body.data as Json[];
    expect([deleted.type, deleted.data]).toEqual(['customer.subscription.deleted', { object: canceled.body }]);
    expect(changed.data.previous_attributes).toEqual({
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      cancellation_details: { reason: null },
      metadata: { k: null },
    });
  });

  // The control endpoints append events too: customer A is the newest, so `count: 1` picks it.
  it('filters events by type, types in both array spellings and created; refuses type with types', async () => {
    await call('POST', '/v1/customers', 'name=A');
    await advance(5);
    await app.inject({ method: 'POST', url: '/_emulator/customers/update', payload: { count: 1 } });
    await app.inject({ method: 'POST', url: '/_emulator/customers/delete', payload: { count: 1 } });
    expect(await eventTypes()).toEqual(['customer.deleted', 'customer.updated', 'customer.created']);
    expect(await eventTypes('&types[]=customer.deleted&types[]=customer.created')).toEqual([
      'customer.deleted',
      'customer.created',
    ]);
    expect(await eventTypes('&types%5B0%5D=customer.updated&types%5B1%5D=customer.created')).toEqual([
      'customer.updated',
      'customer.created',
    ]);
    expect(await eventTypes('&type=customer.*')).toHaveLength(3);
    expect(await eventTypes('&type=customer.updated')).toEqual(['customer.updated']);
    expect(await eventTypes(`&created[gt]=${NOW}`)).toEqual(['customer.deleted', 'customer.updated']);
    expect((await call('GET', '/v1/events?type=a&types[]=b')).status).toBe(400);
  });

  // Changes the events log never reports, for drift tests: the customer changes or goes, no event is added.
  it('silent control updates and deletes change the customers without any event; silent must be a boolean', async () => {
    const control = (url: string, payload: object) =>
      app.inject({ method: 'POST', url: `/_emulator/customers${url}`, payload });
    const [changed, gone] = (await call('GET', '/v1/customers?limit=2')).body.data.map((c: Json) => c.id);
    await control('/update', { ids: [changed], set: { name: 'Quietly renamed' }, silent: true });
    await control('/delete', { ids: [gone], silent: true });
    expect((await call('GET', `/v1/customers/${changed}`)).body).toMatchObject({ name: 'Quietly renamed' });
    expect((await call('GET', `/v1/customers/${gone}`)).body).toEqual({ id: gone, object: 'customer', deleted: true });
    expect(await eventTypes()).toEqual([]);
    const refused = await control('/update', { ids: [changed], silent: 'yes' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ error: 'silent must be true or false' });
  });

  it('pages events with cursors and forgets them after 30 days of the clock', async () => {
    for (let i = 0; i < 5; i++) {
      await call('POST', '/v1/customers', `name=c${i}`);
    }
    const all = (await call('GET', '/v1/events')).body.data as Json[];
    const names = (events: Json[]) => events.map((e) => e.data.object.name);
    expect(names(all)).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
    const after = await call('GET', `/v1/events?limit=2&starting_after=${all[1].id}`);
    expect([names(after.body.data), after.body.has_more]).toEqual([['c2', 'c1'], true]);
    const before = await call('GET', `/v1/events?limit=2&ending_before=${all[3].id}`);
    expect(names(before.body.data)).toEqual(['c3', 'c2']);
    // Trials ending meanwhile append events of their own; these five customer events are the ones that expire.
    await advance(30 * 86_400);
    expect(await eventTypes('&type=customer.created')).toHaveLength(5);
    await advance(1);
    expect(await eventTypes('&type=customer.created')).toEqual([]);
    expect((await call('GET', `/v1/events/${all[0].id}`)).body.error).toMatchObject({ code: 'resource_missing' });
    expect((await call('GET', `/v1/events?starting_after=${all[0].id}`)).status).toBe(400);
  });
});
