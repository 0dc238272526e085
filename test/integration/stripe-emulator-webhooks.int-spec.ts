// The Stripe emulator's webhooks as the product will use them: an endpoint registered through the official
// client, then a write's event delivered to a real HTTP server, signed so that stripe.webhooks.constructEvent
// accepts it (on the real clock, with its default 300 s tolerance). And writes retried by key run once.
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/src';
import { startTestReceiver, type TestReceiver } from '../../emulators/stripe/src/webhooks/test-receiver';

describe('Stripe emulator: webhooks and idempotency through stripe-node', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let receiver: TestReceiver;

  beforeAll(async () => {
    receiver = await startTestReceiver();
    emulator = await startStripeEmulator({ customers: 10 });
    stripe = new Stripe('sk_test_tributary', { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });

  it('delivers the signed customer.updated event to the registered endpoint', async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: receiver.url,
      enabled_events: ['customer.updated'],
      metadata: { source: 'stripe-1' },
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret).toBeUndefined();
    const [customer] = (await stripe.customers.list({ limit: 1 })).data;
    const updated = await stripe.customers.update(customer.id, { metadata: { plan: 'pro' } });
    await stripe.customers.create({ email: 'ignored@example.test' });

    await emulator.state.webhooks.delivery.idle();
    expect(receiver.received).toHaveLength(1);
    const { body, signature } = receiver.received[0];
    const event = stripe.webhooks.constructEvent(body, signature, endpoint.secret!);
    expect(event).toMatchObject({ type: 'customer.updated', data: { object: updated } });
    expect(await stripe.events.retrieve(event.id)).toEqual(event);
    expect(() => stripe.webhooks.constructEvent(body.replace('pro', 'free'), signature, endpoint.secret!)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('runs a write retried with the same idempotency key once', async () => {
    const options = { idempotencyKey: 'tributary-create-1' };
    const first = await stripe.customers.create({ email: 'once@example.test' }, options);
    const again = await stripe.customers.create({ email: 'once@example.test' }, options);
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    await expect(stripe.customers.create({ email: 'other@example.test' }, options)).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
    });
  });
});
