// The Stripe emulator against the checklist of cloud-apis.md §6.1, through stripe-node and raw HTTP: every object
// it serves (generated or written, nested lists included) has exactly the fields of Stripe's own sample (the
// fixtures/ copies of stripe/openapi fixtures3.json), a key still in flight answers 409, only configured keys pass,
// and the per-request latency holds every answer back.
import Stripe from 'stripe';
import chargeFixture from '../../emulators/stripe/fixtures/charge.json';
import customerFixture from '../../emulators/stripe/fixtures/customer.json';
import eventFixture from '../../emulators/stripe/fixtures/event.json';
import invoiceFixture from '../../emulators/stripe/fixtures/invoice.json';
import invoiceItemFixture from '../../emulators/stripe/fixtures/invoiceitem.json';
import refundFixture from '../../emulators/stripe/fixtures/refund.json';
import subscriptionFixture from '../../emulators/stripe/fixtures/subscription.json';
import webhookEndpointFixture from '../../emulators/stripe/fixtures/webhook_endpoint.json';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/src';

type Json = Record<string, any>;
const START = Date.UTC(2026, 0, 15, 12) / 1000;
const keys = (object: object): string[] => Object.keys(object).sort();
const FIELDS: Record<string, string[]> = {
  customer: keys(customerFixture),
  subscription: keys(subscriptionFixture),
  subscription_item: keys(subscriptionFixture.items.data[0]),
  invoice: keys(invoiceFixture),
  line_item: keys(invoiceFixture.lines.data[0]),
  charge: keys(chargeFixture),
  refund: keys(refundFixture),
  invoiceitem: keys(invoiceItemFixture),
  event: keys(eventFixture),
  webhook_endpoint: keys(webhookEndpointFixture),
};

/** `object` and the objects nested in its lists, each paired with its field set, by its `object` name. */
function shapesOf(object: Json): [string, string[]][] {
  const nested = [object.items?.data, object.lines?.data, object.refunds?.data].flat().filter(Boolean) as Json[];
  return [[object.object as string, keys(object)], ...nested.flatMap(shapesOf)];
}

describe('Stripe emulator: the §6.1 checklist', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const api = async (method: string, path: string, form?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      body: form,
      headers: {
        authorization: 'Bearer sk_test_tributary',
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        ...headers,
      },
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const control = (path: string, body: object) =>
    fetch(`${emulator.url}/_emulator${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  beforeEach(async () => {
    emulator = await startStripeEmulator({ customers: 30, seed: 11, clock: () => START * 1000 });
    stripe = new Stripe('sk_test_tributary', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await control('/clock', { now: START });
  });
  afterEach(() => emulator.close());

  it('serves every object, generated or written, with exactly the fields of Stripe’s sample', async () => {
    const customer = (await api('POST', '/v1/customers', 'email=shape%40example.test')).body;
    const items = 'items[0][price]=price_team_monthly&default_payment_method=pm_card_visa';
    const subscription = (await api('POST', '/v1/subscriptions', `customer=${customer.id}&${items}`)).body;
    const trial = (await api('POST', '/v1/subscriptions', `customer=${customer.id}&${items}&trial_period_days=3`)).body;
    const draft = (await api('POST', '/v1/invoices', `customer=${customer.id}`)).body;
    const item = (
      await api('POST', '/v1/invoiceitems', `customer=${customer.id}&invoice=${draft.id}&amount=700&currency=usd`)
    ).body;
    const charge = (await api('POST', '/v1/charges', `amount=1200&currency=usd&source=tok_visa`)).body;
    const refund = (await api('POST', '/v1/refunds', `charge=${charge.id}&amount=200`)).body;
    const endpoint = (
      await api('POST', '/v1/webhook_endpoints', 'url=http%3A%2F%2F127.0.0.1%3A9%2Fhook&enabled_events[]=invoice.paid')
    ).body;
    await control('/clock', { advance: 4 * 86_400 }); // the trial ends: its invoice, charge and events

    const served: Json[] = [customer, subscription, trial, draft, item, charge, refund];
    for (const path of [
      'customers',
      'subscriptions?status=all',
      'invoices',
      'charges',
      'events',
      'webhook_endpoints',
    ]) {
      served.push(...(await api('GET', `/v1/${path}${path.includes('?') ? '&' : '?'}limit=100`)).body.data);
    }
    const retrievable: [string, string][] = [
      ['customers', customer.id as string],
      ['subscriptions', subscription.id as string],
      ['subscriptions', trial.id as string],
      ['invoices', draft.id as string],
      ['charges', charge.id as string],
    ];
    for (const [kind, id] of retrievable) {
      served.push((await api('GET', `/v1/${kind}/${id}`)).body);
    }
    const events = served.filter((object) => object.object === 'event');
    served.push(...events.map((event) => event.data.object as Json));

    const seen = new Map<string, number>();
    for (const [name, fields] of served.flatMap(shapesOf)) {
      expect([name, fields]).toEqual([name, FIELDS[name]]);
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(Object.keys(FIELDS).sort());
    // Only the create response shows the endpoint's secret, as Stripe shows it.
    expect(keys(endpoint)).toEqual([...FIELDS.webhook_endpoint, 'secret'].sort());
    const types = new Set(events.map((event) => event.type as string));
    for (const type of ['customer.subscription.created', 'invoice.updated', 'charge.refunded', 'invoice.paid']) {
      expect(types).toContain(type);
    }
  });

  it('answers 409 to a key still in flight, which stripe-node retries into the replay; other parameters get 400', async () => {
    await control('/latency', { ms: 300 });
    const form = 'email=race%40example.test';
    const headers = { 'idempotency-key': 'race-1' };
    const [first, second] = await Promise.all([
      api('POST', '/v1/customers', form, headers),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() => api('POST', '/v1/customers', form, headers)),
    ]);
    expect(first.status).toBe(200);
    expect(second).toMatchObject({
      status: 409,
      body: { error: { type: 'invalid_request_error', code: 'idempotency_key_in_use' } },
    });
    expect(second.body.error.message).toContain('race-1');

    const retrying = new Stripe('sk_test_tributary', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 2,
    });
    const options = { idempotencyKey: 'race-2' };
    const [a, b] = await Promise.all([
      retrying.customers.create({ email: 'retry@example.test' }, options),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
        retrying.customers.create({ email: 'retry@example.test' }, options),
      ),
    ]);
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true');
    const created = await stripe.events.list({ type: 'customer.created', limit: 100 });
    expect(created.data.filter((event) => (event.data.object as Json).email === 'retry@example.test')).toHaveLength(1);

    await control('/latency', { ms: 0 });
    await expect(stripe.customers.create({ email: 'other@example.test' }, options)).rejects.toMatchObject({
      statusCode: 400,
      type: 'StripeIdempotencyError',
    });
  });

  it('passes only configured keys; any other key gets Stripe’s 401', async () => {
    const own = await startStripeEmulator({ customers: 1, keys: ['sk_test_first', 'sk_test_second'] });
    try {
      const client = (key: string) =>
        new Stripe(key, { host: '127.0.0.1', port: own.port, protocol: 'http', maxNetworkRetries: 0 });
      expect((await client('sk_test_second').customers.list()).data).toHaveLength(1);
      await expect(client('sk_test_tributary').customers.list()).rejects.toMatchObject({
        type: 'StripeAuthenticationError',
        statusCode: 401,
        message: 'Invalid API Key provided: sk_test_*****tary',
      });
    } finally {
      await own.close();
    }
  });

  it('limits requests per account and second when asked, with Stripe’s plain 429 that stripe-node does not retry', async () => {
    await control('/rate-limit', { perSecond: 3 });
    const retrying = new Stripe('sk_test_tributary', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 2,
    });
    const answers = await Promise.allSettled(Array.from({ length: 5 }, () => retrying.customers.list({ limit: 1 })));
    expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(3);
    const refused = answers.flatMap((answer) => (answer.status === 'rejected' ? [answer.reason as Json] : []));
    expect(refused).toHaveLength(2);
    refused.forEach((error) =>
      expect(error).toMatchObject({ type: 'StripeRateLimitError', statusCode: 429, code: 'rate_limit' }),
    );
    expect(refused[0].headers['stripe-should-retry']).toBeUndefined();
    // Another account has its own budget.
    const other = (await (await control('/keys', {})).json()) as { key: string };
    const otherClient = new Stripe(other.key, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    await expect(otherClient.customers.list({ limit: 1 })).resolves.toMatchObject({ object: 'list' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await expect(stripe.customers.list({ limit: 1 })).resolves.toMatchObject({ object: 'list' });
  });

  it('holds every API answer back by the configured latency, errors included', async () => {
    await control('/latency', { ms: 250 });
    const started = performance.now();
    await stripe.customers.list({ limit: 1 });
    await expect(stripe.customers.retrieve('cus_missing')).rejects.toMatchObject({ statusCode: 404 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
  });
});
