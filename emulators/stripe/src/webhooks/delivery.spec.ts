// Delivery of events through the HTTP routes to a real receiver: which endpoints get what, signed how, retried
// when, and the misbehaving modes of the control API.
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { buildApp } from '../server';
import { EmulatorState } from '../state';
import { startTestReceiver, type TestReceiver } from './test-receiver';

const NOW = Date.UTC(2026, 0, 15, 12) / 1000;
const AUTH = { authorization: 'Bearer sk_test_tributary' };
const FORM = { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' };
const stripe = new Stripe('sk_test_tributary');
type Json = Record<string, any>;

describe('webhook delivery', () => {
  let state: EmulatorState;
  let app: FastifyInstance;
  let receiver: TestReceiver;
  let statuses: number[];

  beforeEach(async () => {
    statuses = [];
    receiver = await startTestReceiver((index) => statuses[index] ?? 200);
    // Retries off, except where a test turns them on.
    state = new EmulatorState({
      customers: 5,
      seed: 5,
      clock: () => NOW * 1000,
      webhookRetry: { retries: 0, backoffMs: 0 },
    });
    app = buildApp(state);
  });
  afterEach(async () => {
    await state.webhooks.delivery.stop();
    await app.close();
    await receiver.close();
  });

  const post = async (url: string, payload: string, headers: Record<string, string> = FORM) =>
    (await app.inject({ method: 'POST', url, payload, headers })).json<Json>();
  const control = (url: string, payload: object) => app.inject({ method: 'POST', url: `/_emulator${url}`, payload });
  const register = (events: string, headers = FORM) =>
    post('/v1/webhook_endpoints', `url=${encodeURIComponent(receiver.url)}&${events}`, headers);
  const customerId = () => state.customers.list()[0].id;
  const rename = (name: string) => post(`/v1/customers/${customerId()}`, `name=${name}`);
  const verify = (index: number, secret: string) => {
    const { body, signature } = receiver.received[index];
    return stripe.webhooks.constructEvent(body, signature, secret, 300, undefined, NOW * 1000);
  };
  const delivered = async () => {
    await state.webhooks.delivery.idle();
    return receiver.received.map((delivery) => JSON.parse(delivery.body) as Json);
  };

  it('POSTs each matching event, signed, to the enabled endpoints of its account only', async () => {
    const { secret } = await register('enabled_events[]=customer.updated');
    await register('enabled_events[]=customer.deleted');
    const other = state.accounts.createKey();
    await register('enabled_events[]=*', { ...FORM, authorization: `Bearer ${other.key}` });
    await post('/v1/customers', 'name=New');
    const updated = await rename('Renamed');

    const events = await delivered();
    expect(events.map((event) => event.type)).toEqual(['customer.updated']);
    expect(events[0].data.object).toEqual(updated);
    expect(verify(0, secret).id).toBe(events[0].id);
    expect(receiver.received[0].signature).toMatch(new RegExp(`^t=${NOW},v1=[0-9a-f]{64}$`));
    expect(receiver.received[0].contentType).toBe('application/json');
    expect(state.webhooks.delivery.attempts).toEqual([
      {
        event: events[0].id,
        type: 'customer.updated',
        endpoint: expect.any(String),
        url: receiver.url,
        attempt: 1,
        status: 200,
      },
    ]);
  });

  it("sends a write made with another account's key to that account's endpoints", async () => {
    await register('enabled_events[]=*');
    const other = state.accounts.createKey();
    const theirs = await register('enabled_events[]=*', { ...FORM, authorization: `Bearer ${other.key}` });
    await post('/v1/customers', 'name=Theirs', { ...FORM, authorization: `Bearer ${other.key}` });
    await state.webhooks.delivery.idle();
    expect(state.webhooks.delivery.attempts.map((attempt) => attempt.endpoint)).toEqual([theirs.id]);
  });

  it('sends events of the control endpoints to the default account, and * takes every type', async () => {
    await register('enabled_events[0]=*');
    await control('/customers/update', { ids: [customerId()] });
    await control('/customers/delete', { ids: [customerId()] });
    expect((await delivered()).map((event) => event.type)).toEqual(['customer.updated', 'customer.deleted']);
  });

  it('retries a failed delivery with backoff until it succeeds, and records every attempt', async () => {
    statuses = [500, 503];
    await control('/webhooks', { retries: 3, backoffMs: 1 });
    await register('enabled_events[]=customer.updated');
    await rename('Retried');
    expect(await delivered()).toHaveLength(3);
    const deliveries = (await app.inject({ method: 'GET', url: '/_emulator/webhooks/deliveries' })).json<Json>();
    expect(deliveries.data.map((a: Json) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
  });

  it('records an unreachable endpoint and gives up after the retries', async () => {
    await control('/webhooks', { retries: 1, backoffMs: 1 });
    await post('/v1/webhook_endpoints', 'url=http%3A%2F%2F127.0.0.1%3A9%2Fnone&enabled_events[]=*');
    await rename('Lost');
    await state.webhooks.delivery.idle();
    expect(state.webhooks.delivery.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, null],
      [2, null],
    ]);
  });

  it('duplicates, swaps pairs, and signs with a second secret when told to', async () => {
    const { secret } = await register('enabled_events[]=customer.updated');
    const settings = await control('/webhooks', { duplicate: true, outOfOrder: true, secondSecret: 'whsec_next' });
    expect(settings.json()).toEqual({
      duplicate: true,
      outOfOrder: true,
      secondSecret: 'whsec_next',
      retries: 0,
      backoffMs: 0,
    });
    await rename('First');
    await rename('Second');
    const names = (await delivered()).map((event) => event.data.object.name);
    // Duplicates of one event may interleave; the second event goes out before the first.
    expect(names).toEqual(['Second', 'Second', 'First', 'First']);
    expect(verify(0, secret).type).toBe('customer.updated');
    expect(verify(0, 'whsec_next').type).toBe('customer.updated');
  });
});
