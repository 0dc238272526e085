// The whole webhook path: the emulator delivers signed events to the real ingest app, which starts
// applyStripeEvent per event; each event is read back from Stripe by id and applied newest-wins, so
// deliveries out of order and twice leave the latest version.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { stripeClientOptions } from '../../libs/connectors/src/stripe/stripe.connector';
import { startTestIngest, type TestIngest } from '../utils/ingest';
import * as op from '../utils/operations';
import { control, createStripeSource, liveRecords, type RunNode, syncAndWait } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

describe('Stripe webhooks applied (ingest → applyStripeEvent)', () => {
  const KEYS = `v1:${randomBytes(32).toString('base64')}`;
  let ingest: TestIngest;
  let stack: SyncStack;
  let stripe: Stripe;

  beforeAll(async () => {
    ingest = await startTestIngest({ ENCRYPTION_KEYS: KEYS });
    stack = await startSyncStack({
      customers: 20,
      apiEnv: { INGEST_PUBLIC_URL: ingest.url, ENCRYPTION_KEYS: KEYS, SYNC_FULL_REFRESH_MINUTES: '1440' },
    });
    stripe = new Stripe('sk_test_tributary', stripeClientOptions(stack.stripe.url));
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await ingest?.close();
  });

  it('two updates delivered out of order and twice end in the newer one, as WEBHOOK runs, and the events path agrees', async () => {
    const sourceId = await createStripeSource(stack, 'Billing, webhooks');
    expect(await syncAndWait(stack, sourceId)).toMatchObject({ mode: 'FULL_REFRESH', status: 'SUCCEEDED' });
    await stack.call(op.REGISTER_STRIPE_WEBHOOK, { sourceId });
    await control(stack.stripe, '/webhooks', { outOfOrder: true, duplicate: true });

    const [customer] = (await stripe.customers.list({ limit: 1 })).data;
    // A second apart by Stripe's clock, so the two events' times order them.
    await control(stack.stripe, '/clock', { advance: 1 });
    await stripe.customers.update(customer.id, { name: 'One' });
    await control(stack.stripe, '/clock', { advance: 1 });
    await stripe.customers.update(customer.id, { name: 'Two' });
    await stack.stripe.state.webhooks.delivery.idle();

    const webhookRuns = await eventually(
      async () => {
        const { syncRuns } = await stack.call(op.SYNC_RUNS, { sourceId, first: 10 });
        const runs = (syncRuns.edges as { node: RunNode }[]).map((e) => e.node).filter((r) => r.mode === 'WEBHOOK');
        return runs.length === 2 ? runs : undefined;
      },
      'a WEBHOOK run per event (duplicates dropped by ingest)',
      30_000,
    );
    // The emulator delivered the later event first; its run applied it.
    const [two, one] = (await stripe.events.list({ limit: 2, type: 'customer.updated' })).data.map((e) => e.id);
    const deliveries = (await (await fetch(`${stack.stripe.url}/_emulator/webhooks/deliveries`)).json()) as {
      data: { event: string; status: number | null }[];
    };
    const order = deliveries.data.map((d) => d.event).filter((e) => e === one || e === two);
    expect(order.indexOf(two)).toBeLessThan(order.indexOf(one));
    const runOf = (eventId: string): RunNode =>
      webhookRuns.find((r) => r.reason === `Webhook delivery of event ${eventId}`)!;
    expect(runOf(two)).toMatchObject({ status: 'SUCCEEDED', recordsRead: 1, recordsUpdated: 1 });
    // The two workflows may run in either order; whichever applied the older event last changed nothing.
    expect(runOf(one)).toMatchObject({ status: 'SUCCEEDED', recordsRead: 1 });
    expect(runOf(one).recordsUpdated + runOf(one).recordsUnchanged).toBe(1);
    const truth = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect((await liveRecords(sourceId)).get(customer.id)).toMatchObject({ name: 'Two' });
    expect(truth.name).toBe('Two');

    // The events path reads both events: the row already holds the newer one.
    expect(await syncAndWait(stack, sourceId)).toMatchObject({
      mode: 'INCREMENTAL',
      recordsRead: 2,
      recordsUpdated: 0,
      recordsUnchanged: 2,
    });
    expect((await liveRecords(sourceId)).get(customer.id)).toMatchObject({ name: 'Two' });
  }, 300_000);
});
