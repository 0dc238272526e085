// Stripe webhooks end to end: registerStripeWebhook (api → workflow → activity on the source's queue →
// the emulator through stripe-node), then the emulator's signed deliveries to the real ingest app, which
// records each event id once and starts one workflow per event carrying only ids. Signature, source and
// body refusals are 4xx with a reason and one log line, and leave nothing behind.
import { defaultPayloadConverter } from '@temporalio/common';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { randomBytes, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { WebhookDedupePruner } from '@app/sources';
import { makeStripeEventWorkflowId, WEBHOOK_EVENT_WORKFLOW, WORKFLOW_TASK_QUEUE } from '@app/temporal';
import { queryTestDb, requiredEnv } from '../utils/database';
import { gql } from '../utils/gql';
import { readableText } from '../utils/history';
import { startTestIngest, type TestIngest } from '../utils/ingest';
import * as op from '../utils/operations';
import { control, createStripeSource } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

// stripe-node's own test signer: an implementation independent of the one under test.
const signer = new Stripe('sk_test_unused');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function sign(body: string, secret: string, timestamp = nowSeconds()): string {
  return signer.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
}

function eventBody(id = `evt_${randomBytes(12).toString('hex')}`): string {
  return JSON.stringify(
    { id, object: 'event', type: 'customer.updated', data: { object: { id: 'cus_X', email: 'pii@example.test' } } },
    null,
    2,
  );
}

const fakeSecret = (): string => `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'a')}`;

describe('Stripe webhooks (ingest)', () => {
  const KEYS = `v1:${randomBytes(32).toString('base64')}`;
  let ingest: TestIngest;
  let stack: SyncStack;
  let stripe: Stripe;
  let temporal: Client;
  let connection: Connection;
  const started: string[] = [];

  beforeAll(async () => {
    // Ingest first: its URL is the api's INGEST_PUBLIC_URL, so webhookUrl points at it. One keyring for all.
    ingest = await startTestIngest({ ENCRYPTION_KEYS: KEYS, LOG_LEVEL: 'info' });
    stack = await startSyncStack({ customers: 5, apiEnv: { INGEST_PUBLIC_URL: ingest.url, ENCRYPTION_KEYS: KEYS } });
    stripe = new Stripe('sk_test_tributary', { host: '127.0.0.1', port: stack.stripe.port, protocol: 'http' });
    connection = await Connection.connect({ address: requiredEnv('TEST_TEMPORAL_ADDRESS') });
    temporal = new Client({ connection });
  }, 120_000);

  afterAll(async () => {
    // The event workflow's type is another part's: end the runs started here so they do not linger.
    for (const id of started) {
      await temporal.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    }
    await connection?.close();
    await stack?.close();
    await ingest?.close();
  });

  const post = (sourceId: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${ingest.url}/webhooks/stripe/${sourceId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
    });

  const dedupeRows = async (sourceId: string): Promise<string[]> =>
    (
      await queryTestDb<{ event_id: string }>(
        'SELECT event_id FROM stripe_webhook_events WHERE source_id = $1 ORDER BY event_id',
        [sourceId],
      )
    ).map((r) => r.event_id);

  const setWebhookSecret = (sourceId: string, webhookSecret: string): Promise<unknown> =>
    stack.call(op.SET_CREDENTIALS, { input: { sourceId, stripe: { secretKey: 'sk_test_tributary', webhookSecret } } });

  /** The executions with this workflow id (every run), by their first history event. */
  const runsOf = async (workflowId: string): Promise<number> => {
    let n = 0;
    for await (const _ of temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      n++;
    }
    return n;
  };

  /** The workflow's type, queue and start input, as Temporal recorded them. */
  const startOf = async (workflowId: string) => {
    const handle = temporal.workflow.getHandle(workflowId);
    const described = await handle.describe();
    const history = await handle.fetchHistory();
    const attrs = history.events![0].workflowExecutionStartedEventAttributes!;
    return {
      type: described.type,
      taskQueue: described.taskQueue,
      searchAttributes: described.typedSearchAttributes,
      input: (attrs.input?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p)),
    };
  };

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
    const registration = await temporal.workflow.getHandle(`webhook:${sourceId}`).fetchHistory();
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
    expect(await dedupeRows(sourceId)).toEqual([event.id]);
    const workflowId = makeStripeEventWorkflowId(sourceId, event.id);
    started.push(workflowId);
    expect(await startOf(workflowId)).toMatchObject({
      type: WEBHOOK_EVENT_WORKFLOW,
      taskQueue: WORKFLOW_TASK_QUEUE,
      input: [{ sourceId, eventId: event.id }],
    });
    expect(
      await eventually(async () => ((await runsOf(workflowId)) === 1 ? true : undefined), 'one run listed', 10_000),
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
    const [eventId] = await dedupeRows(sourceId);
    started.push(makeStripeEventWorkflowId(sourceId, eventId));
  });

  it('accepts an emulator delivery whose second v1 (the emulator’s rotation secret) is the one that matches', async () => {
    const sourceId = await createStripeSource(stack, 'Second v1');
    await stack.call(op.REGISTER_STRIPE_WEBHOOK, { sourceId });
    const url = `${ingest.url}/webhooks/stripe/${sourceId}`;
    // Two hand-set secrets push the registered one out: only the emulator's second v1 can match now.
    const [y, z] = [fakeSecret(), fakeSecret()];
    await setWebhookSecret(sourceId, y);
    await setWebhookSecret(sourceId, z);
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
      const [eventId] = await dedupeRows(sourceId);
      started.push(makeStripeEventWorkflowId(sourceId, eventId));

      await control(stack.stripe, '/webhooks', { secondSecret: null });
      await stripe.customers.create({ email: 'unsigned-for-us@example.test' });
      await stack.stripe.state.webhooks.delivery.idle();
      expect(await deliveries()).toEqual([200, 400]);
      expect(await dedupeRows(sourceId)).toEqual([eventId]);
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

  describe('refusals and rotation, by hand-set secrets', () => {
    let sourceId: string;
    const A = fakeSecret();
    const B = fakeSecret();
    const C = fakeSecret();

    beforeAll(async () => {
      sourceId = await createStripeSource(stack, `Signed ${randomUUID()}`);
      await setWebhookSecret(sourceId, A);
      await setWebhookSecret(sourceId, B); // B current, A previous
    });

    const refusedLines = (): string[] => ingest.logs.filter((l) => l.includes('Stripe webhook refused'));

    it.each([
      ['no Stripe-Signature header', () => ({}), /No Stripe-Signature header/],
      ['a malformed header', () => ({ 'stripe-signature': 'v1=abc' }), /must be t=<unix seconds>/],
      [
        'a signature by another secret',
        (body: string) => ({ 'stripe-signature': sign(body, C) }),
        /No v1 signature matches/,
      ],
      [
        'a signature older than five minutes',
        (body: string) => ({ 'stripe-signature': sign(body, B, nowSeconds() - 301) }),
        /more than 300 s old/,
      ],
    ])(
      'refuses %s with 400 and a reason, one log line, nothing recorded or started',
      async (_what, headers, reason) => {
        const id = `evt_${randomBytes(8).toString('hex')}`;
        const body = eventBody(id);
        const before = refusedLines().length;
        const res = await post(sourceId, body, headers(body));
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: string }).error).toMatch(reason);
        expect(refusedLines().length - before).toBe(1);
        expect(refusedLines().at(-1)).not.toMatch(/whsec_|pii@/);
        expect(await dedupeRows(sourceId)).not.toContain(id);
        await expect(
          temporal.workflow.getHandle(makeStripeEventWorkflowId(sourceId, id)).describe(),
        ).rejects.toBeInstanceOf(WorkflowNotFoundError);
      },
    );

    it('accepts the current and the previous secret, and several v1 values where one matches', async () => {
      const ids = [0, 1, 2].map(() => `evt_${randomBytes(8).toString('hex')}`);
      const [current, previous, several] = ids.map((id) => eventBody(id));
      const other = sign(several, C).split(',')[1];
      const answers = await Promise.all([
        post(sourceId, current, { 'stripe-signature': sign(current, B) }),
        post(sourceId, previous, { 'stripe-signature': sign(previous, A) }),
        post(sourceId, several, {
          'stripe-signature': `${sign(several, C).split(',')[0]},${other},${sign(several, B).split(',')[1]}`,
        }),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await dedupeRows(sourceId)).toEqual(expect.arrayContaining(ids));
      ids.forEach((id) => started.push(makeStripeEventWorkflowId(sourceId, id)));
    });

    it('refuses a webhook secret that is not whsec_…, without echoing it', async () => {
      const input = { sourceId, stripe: { secretKey: 'sk_test_tributary', webhookSecret: 'sk_live_oops_notasecret' } };
      const res = await gql(stack.api.url, op.SET_CREDENTIALS, { input }, stack.token);
      expect(res.errors?.[0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: 'stripe.webhookSecret must be a Stripe webhook signing secret (whsec_…)',
      });
      expect(JSON.stringify(res)).not.toContain('oops');
    });

    it('stops accepting the oldest secret after the next rotation', async () => {
      await setWebhookSecret(sourceId, C); // C current, B previous, A gone
      const [a, b] = [eventBody(), eventBody()];
      expect((await post(sourceId, a, { 'stripe-signature': sign(a, A) })).status).toBe(400);
      const accepted = await post(sourceId, b, { 'stripe-signature': sign(b, B) });
      expect(accepted.status).toBe(200);
      started.push(makeStripeEventWorkflowId(sourceId, (JSON.parse(b) as { id: string }).id));
      // New credentials without a webhookSecret keep the secrets.
      await stack.call(op.SET_CREDENTIALS, { input: { sourceId, stripe: { secretKey: 'sk_test_tributary' } } });
      const c = eventBody();
      expect((await post(sourceId, c, { 'stripe-signature': sign(c, C) })).status).toBe(200);
      started.push(makeStripeEventWorkflowId(sourceId, (JSON.parse(c) as { id: string }).id));
    });

    it('refuses a signed body that is not a Stripe event, and a body over the limit (413)', async () => {
      const notEvent = JSON.stringify({ id: 'cus_1', object: 'customer' });
      const res = await post(sourceId, notEvent, { 'stripe-signature': sign(notEvent, C) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/must be a Stripe event/);
      const garbage = 'not json at all';
      expect((await post(sourceId, garbage, { 'stripe-signature': sign(garbage, C) })).status).toBe(400);
      const huge = 'x'.repeat(1024 * 1024 + 1);
      expect((await post(sourceId, huge, { 'stripe-signature': sign(huge, C) })).status).toBe(413);
    });

    it('answers 404 for an unknown source, a non-uuid id and a source of another kind; 409 when paused', async () => {
      const body = eventBody();
      const signature = { 'stripe-signature': sign(body, C) };
      expect((await post(randomUUID(), body, signature)).status).toBe(404);
      expect((await post('not-a-uuid', body, signature)).status).toBe(404);
      const { createSource } = await stack.call(op.CREATE_SOURCE, {
        input: { name: `CRM ${randomUUID()}`, kind: 'HUBSPOT', environment: 'PRODUCTION' },
      });
      expect((await post(createSource.id as string, body, signature)).status).toBe(404);

      await stack.call(op.PAUSE_SOURCE, { id: sourceId });
      const paused = await post(sourceId, body, signature);
      expect(paused.status).toBe(409);
      expect(((await paused.json()) as { error: string }).error).toMatch(/PAUSED: resume it/);
      await stack.call(op.RESUME_SOURCE, { id: sourceId });
      expect(await dedupeRows(sourceId)).not.toContain((JSON.parse(body) as { id: string }).id);
    });

    it('records a delivery sent twice at once once, starting one workflow', async () => {
      const id = `evt_${randomBytes(8).toString('hex')}`;
      const body = eventBody(id);
      const answers = await Promise.all([0, 1].map(() => post(sourceId, body, { 'stripe-signature': sign(body, C) })));
      const bodies = (await Promise.all(answers.map((r) => r.json()))) as { duplicate: boolean }[];
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(bodies.map((b) => b.duplicate).sort()).toEqual([false, true]);
      expect((await dedupeRows(sourceId)).filter((e) => e === id)).toHaveLength(1);
      const workflowId = makeStripeEventWorkflowId(sourceId, id);
      started.push(workflowId);
      expect((await startOf(workflowId)).input).toEqual([{ sourceId, eventId: id }]);
      expect(
        await eventually(async () => ((await runsOf(workflowId)) === 1 ? true : undefined), 'one run listed', 10_000),
      ).toBe(true);
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
      expect(await dedupeRows(sourceId)).toEqual([event.id]);
      const workflowId = makeStripeEventWorkflowId(sourceId, event.id);
      started.push(workflowId);
      expect(
        await eventually(async () => ((await runsOf(workflowId)) === 1 ? true : undefined), 'one run listed', 10_000),
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
    await setWebhookSecret(sourceId, secret);
    const cut = await startTestIngest({ ENCRYPTION_KEYS: KEYS, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    try {
      const id = `evt_${randomBytes(8).toString('hex')}`;
      const body = eventBody(id);
      const refused = await fetch(`${cut.url}/webhooks/stripe/${sourceId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, secret) },
        body,
      });
      expect(refused.status).toBe(503);
      expect(await dedupeRows(sourceId)).toEqual([]);
      // Stripe's retry reaches a healthy ingest: recorded and started, not dropped as a duplicate.
      const retried = await post(sourceId, body, { 'stripe-signature': sign(body, secret) });
      expect(await retried.json()).toEqual({ received: true, duplicate: false });
      expect(await dedupeRows(sourceId)).toEqual([id]);
      started.push(makeStripeEventWorkflowId(sourceId, id));
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
    expect(await dedupeRows(sourceId)).toEqual(['evt_recent']);
  });
});
