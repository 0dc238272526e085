// Stripe webhooks end to end: registerStripeWebhook (api → workflow → activity on the source's queue →
// the emulator through stripe-node), then the emulator's signed deliveries to the real ingest app, which
// records each event id once and starts one workflow per event carrying only ids; duplicate deliveries, a
// Temporal outage and the dedupe retention. Hand-signed refusals and rotation: stripe-webhook-signatures.
import { WebhookDedupePruner } from '@app/sources';
import { makeStripeEventWorkflowId, WEBHOOK_EVENT_WORKFLOW, WORKFLOW_TASK_QUEUE } from '@app/temporal';
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { queryTestDb } from '../utils/database';
import { gql } from '../utils/gql';
import { readableText } from '../utils/history';
import { startTestIngest, type TestIngest } from '../utils/ingest';
import * as op from '../utils/operations';
import {
  eventBody,
  fakeSecret,
  sign,
  startStripeWebhookHarness,
  type StripeWebhookHarness,
} from '../utils/stripe-webhook-harness';
import { control, createStripeSource } from '../utils/stripe-sync';
import { eventually, type SyncStack } from '../utils/sync-stack';

describe('Stripe webhooks (ingest)', () => {
  let h: StripeWebhookHarness;
  let ingest: TestIngest;
  let stack: SyncStack;
  let stripe: Stripe;

  beforeAll(async () => {
    h = await startStripeWebhookHarness();
    ({ ingest, stack, stripe } = h);
  }, 120_000);
  afterAll(() => h?.close());

  it('registers the endpoint through stripe-node, then an emulator write starts one workflow with only ids', async () => {
    const sourceId = await createStripeSource(stack, 'Billing');
    const { registerStripeWebhook } = await stack.call(op.REGISTER_STRIPE_WEBHOOK, { sourceId });
    const url = `${ingest.url}/webhooks/stripe/${sourceId}`;
    expect(registerStripeWebhook).toEqual({ endpointId: expect.stringMatching(/^we_/), url, replacedEndpoints: 0 });
    const endpoints = (await stripe.webhookEndpoints.list({ limit: 100 })).data.filter((e) => e.url === url);
    expect(endpoints.map((e) => e.id)).toEqual([registerStripeWebhook.endpointId]);
    expect(endpoints[0].enabled_events).toEqual(
      expect.arrayContaining(['customer.updated', 'invoice.paid', 'charge.refunded']),
    );
    // The secret is sealed: not in the row's text.
    const [row] = await queryTestDb<{ sealed: string }>('SELECT sealed FROM source_credentials WHERE source_id = $1', [
      sourceId,
    ]);
    expect(row.sealed).not.toMatch(/whsec_/);

    // Nor in the registration's Temporal history: only ids and counts crossed.
    const registration = await h.temporal.workflow.getHandle(`webhook:${sourceId}`).fetchHistory();
    expect(readableText(registration).join('\n')).not.toMatch(/whsec_|sk_test_/);

    const [customer] = (await stripe.customers.list({ limit: 1 })).data;
    await stripe.customers.update(customer.id, { metadata: { plan: 'webhook' } });
    await stack.stripe.state.webhooks.delivery.idle();

    const [event] = (await stripe.events.list({ limit: 1, type: 'customer.updated' })).data;
    const deliveries = (await (await fetch(`${stack.stripe.url}/_emulator/webhooks/deliveries`)).json()) as {
      data: { event: string; url: string; status: number | null }[];
    };
    expect(deliveries.data.filter((d) => d.url === url)).toEqual([
      expect.objectContaining({ event: event.id, status: 200 }),
    ]);
    expect(await h.dedupeRows(sourceId)).toEqual([event.id]);
    const workflowId = makeStripeEventWorkflowId(sourceId, event.id);
    h.started.push(workflowId);
    expect(await h.startOf(workflowId)).toMatchObject({
      type: WEBHOOK_EVENT_WORKFLOW,
      taskQueue: WORKFLOW_TASK_QUEUE,
      input: [{ sourceId, eventId: event.id }],
    });
    expect(
      await eventually(async () => ((await h.runsOf(workflowId)) === 1 ? true : undefined), 'one run listed', 10_000),
    ).toBe(true);
    // Ingest's log names ids, never the customer data or a secret.
    const log = ingest.logs.join('\n');
    expect(log).toContain(event.id);
    expect(log).not.toMatch(/whsec_|pii@|"plan"/);
  });

  it('registering again leaves one endpoint, and deliveries signed with the old or the new secret are accepted', async () => {
    const sourceId = await createStripeSource(stack, 'Billing again');
    const url = `${ingest.url}/webhooks/stripe/${sourceId}`;
    const first = (await stack.call(op.REGISTER_STRIPE_WEBHOOK, { sourceId })).registerStripeWebhook;
    const second = (await stack.call(op.REGISTER_STRIPE_WEBHOOK, { sourceId })).registerStripeWebhook;
    expect(second).toMatchObject({ url, replacedEndpoints: 1 });
    expect(second.endpointId).not.toBe(first.endpointId);
    const ours = (await stripe.webhookEndpoints.list({ limit: 100 })).data.filter((e) => e.url === url);
    expect(ours.map((e) => e.id)).toEqual([second.endpointId]);

    await stripe.customers.create({ email: 'new@example.test' });
    await stack.stripe.state.webhooks.delivery.idle();
    const deliveries = (await (await fetch(`${stack.stripe.url}/_emulator/webhooks/deliveries`)).json()) as {
      data: { url: string; status: number | null }[];
    };
    expect(deliveries.data.filter((d) => d.url === url).map((d) => d.status)).toEqual([200]);
    const [eventId] = await h.dedupeRows(sourceId);
    h.started.push(makeStripeEventWorkflowId(sourceId, eventId));
  });

  it('accepts an emulator delivery whose second v1 (the emulator’s rotation secret) is the one that matches', async () => {
    const sourceId = await createStripeSource(stack, 'Second v1');
    await stack.call(op.REGISTER_STRIPE_WEBHOOK, { sourceId });
    const url = `${ingest.url}/webhooks/stripe/${sourceId}`;
    // Two hand-set secrets push the registered one out: only the emulator's second v1 can match now.
    const [y, z] = [fakeSecret(), fakeSecret()];
    await h.setWebhookSecret(sourceId, y);
    await h.setWebhookSecret(sourceId, z);
    const deliveries = async (): Promise<(number | null)[]> =>
      (
        (await (await fetch(`${stack.stripe.url}/_emulator/webhooks/deliveries`)).json()) as {
          data: { url: string; status: number | null }[];
        }
      ).data
        .filter((d) => d.url === url)
        .map((d) => d.status);
    await control(stack.stripe, '/webhooks', { secondSecret: z, retries: 0 });
    try {
      await stripe.customers.create({ email: 'rotating@example.test' });
      await stack.stripe.state.webhooks.delivery.idle();
      expect(await deliveries()).toEqual([200]);
      const [eventId] = await h.dedupeRows(sourceId);
      h.started.push(makeStripeEventWorkflowId(sourceId, eventId));

      await control(stack.stripe, '/webhooks', { secondSecret: null });
      await stripe.customers.create({ email: 'unsigned-for-us@example.test' });
      await stack.stripe.state.webhooks.delivery.idle();
      expect(await deliveries()).toEqual([200, 400]);
      expect(await h.dedupeRows(sourceId)).toEqual([eventId]);
    } finally {
      await control(stack.stripe, '/webhooks', { secondSecret: null, retries: 3 });
    }
  });

  it('refuses to register with a key Stripe rejects, for a paused source, and for another kind, saying why', async () => {
    const badKey = await createStripeSource(stack, 'Bad key', 'sk_live_notconfigured0000');
    const refused = await gql(stack.api.url, op.REGISTER_STRIPE_WEBHOOK, { sourceId: badKey }, stack.token);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toMatch(/key/i);
    expect(JSON.stringify(refused)).not.toContain('notconfigured');

    await stack.call(op.PAUSE_SOURCE, { id: badKey });
    const paused = await gql(stack.api.url, op.REGISTER_STRIPE_WEBHOOK, { sourceId: badKey }, stack.token);
    expect(paused.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringMatching(/PAUSED/),
    });

    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'Shop', kind: 'SHOPIFY', environment: 'PRODUCTION' },
    });
    const shop = await gql(stack.api.url, op.REGISTER_STRIPE_WEBHOOK, { sourceId: createSource.id }, stack.token);
    expect(shop.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(/SHOPIFY source; registerStripeWebhook takes a STRIPE source/),
    });
  });

  it('drops the emulator’s duplicate deliveries: two 200s, one dedupe row, one workflow', async () => {
    const sourceId = await createStripeSource(stack, 'Duplicates');
    await stack.call(op.REGISTER_STRIPE_WEBHOOK, { sourceId });
    const url = `${ingest.url}/webhooks/stripe/${sourceId}`;
    await control(stack.stripe, '/webhooks', { duplicate: true });
    try {
      const created = await stripe.customers.create({ email: 'twice@example.test' });
      await stack.stripe.state.webhooks.delivery.idle();
      const [event] = (await stripe.events.list({ limit: 1, type: 'customer.created' })).data;
      expect(event.data.object).toMatchObject({ id: created.id });
      const deliveries = (await (await fetch(`${stack.stripe.url}/_emulator/webhooks/deliveries`)).json()) as {
        data: { event: string; url: string; status: number | null }[];
      };
      expect(deliveries.data.filter((d) => d.url === url && d.event === event.id).map((d) => d.status)).toEqual([
        200, 200,
      ]);
      expect(await h.dedupeRows(sourceId)).toEqual([event.id]);
      const workflowId = makeStripeEventWorkflowId(sourceId, event.id);
      h.started.push(workflowId);
      expect(
        await eventually(async () => ((await h.runsOf(workflowId)) === 1 ? true : undefined), 'one run listed', 10_000),
      ).toBe(true);
      // (The account's other endpoints, of the sources above, get the event too: count this source's lines.)
      const lines = ingest.logs.filter((l) => l.includes(sourceId) && l.includes(event.id));
      expect(lines.filter((l) => l.includes('Stripe event duplicate'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes('Stripe event accepted'))).toHaveLength(1);
    } finally {
      await control(stack.stripe, '/webhooks', { duplicate: false });
    }
  });

  it('answers 503 and keeps no dedupe row when the workflow cannot start, so the retry is processed', async () => {
    const sourceId = await createStripeSource(stack, 'No Temporal');
    const secret = fakeSecret();
    await h.setWebhookSecret(sourceId, secret);
    const cut = await startTestIngest({ ENCRYPTION_KEYS: h.keys, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    try {
      const id = `evt_${randomBytes(8).toString('hex')}`;
      const body = eventBody(id);
      const refused = await fetch(`${cut.url}/webhooks/stripe/${sourceId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, secret) },
        body,
      });
      expect(refused.status).toBe(503);
      expect(await h.dedupeRows(sourceId)).toEqual([]);
      // Stripe's retry reaches a healthy ingest: recorded and started, not dropped as a duplicate.
      const retried = await h.post(sourceId, body, { 'stripe-signature': sign(body, secret) });
      expect(await retried.json()).toEqual({ received: true, duplicate: false });
      expect(await h.dedupeRows(sourceId)).toEqual([id]);
      h.started.push(makeStripeEventWorkflowId(sourceId, id));
    } finally {
      await cut.close();
    }
  }, 30_000);

  it('prunes dedupe rows older than the retention, keeping recent ones', async () => {
    const sourceId = await createStripeSource(stack, 'Prune');
    await queryTestDb(
      `INSERT INTO stripe_webhook_events (source_id, event_id, received_at)
       VALUES ($1, 'evt_old', now() - interval '8 days'), ($1, 'evt_recent', now() - interval '6 days')`,
      [sourceId],
    );
    expect(await ingest.app.get(WebhookDedupePruner).prune()).toBeGreaterThanOrEqual(1);
    expect(await h.dedupeRows(sourceId)).toEqual(['evt_recent']);
  });
});
