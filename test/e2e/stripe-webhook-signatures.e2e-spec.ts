// Stripe webhook signatures end to end, by hand-set secrets signed with stripe-node's own test signer:
// refusals are 4xx with a reason and one log line and leave nothing behind; the current and the previous
// secret are accepted until the next rotation; a delivery sent twice at once is recorded once.
import { WorkflowNotFoundError } from '@temporalio/client';
import { makeStripeEventWorkflowId } from '@app/temporal';
import { randomBytes, randomUUID } from 'node:crypto';
import { gql } from '../utils/gql';
import type { TestIngest } from '../utils/ingest';
import * as op from '../utils/operations';
import {
  eventBody,
  fakeSecret,
  nowSeconds,
  sign,
  startStripeWebhookHarness,
  type StripeWebhookHarness,
} from '../utils/stripe-webhook-harness';
import { createStripeSource } from '../utils/stripe-sync';
import { eventually, type SyncStack } from '../utils/sync-stack';

describe('Stripe webhook signatures (ingest)', () => {
  let h: StripeWebhookHarness;
  let ingest: TestIngest;
  let stack: SyncStack;

  beforeAll(async () => {
    h = await startStripeWebhookHarness();
    ({ ingest, stack } = h);
  }, 120_000);
  afterAll(() => h?.close());

  let sourceId: string;
  const A = fakeSecret();
  const B = fakeSecret();
  const C = fakeSecret();

  beforeAll(async () => {
    sourceId = await createStripeSource(stack, `Signed ${randomUUID()}`);
    await h.setWebhookSecret(sourceId, A);
    await h.setWebhookSecret(sourceId, B); // B current, A previous
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
  ])('refuses %s with 400 and a reason, one log line, nothing recorded or started', async (_what, headers, reason) => {
    const id = `evt_${randomBytes(8).toString('hex')}`;
    const body = eventBody(id);
    const before = refusedLines().length;
    const res = await h.post(sourceId, body, headers(body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(reason);
    expect(refusedLines().length - before).toBe(1);
    expect(refusedLines().at(-1)).not.toMatch(/whsec_|pii@/);
    expect(await h.dedupeRows(sourceId)).not.toContain(id);
    await expect(
      h.temporal.workflow.getHandle(makeStripeEventWorkflowId(sourceId, id)).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('accepts the current and the previous secret, and several v1 values where one matches', async () => {
    const ids = [0, 1, 2].map(() => `evt_${randomBytes(8).toString('hex')}`);
    const [current, previous, several] = ids.map((id) => eventBody(id));
    const other = sign(several, C).split(',')[1];
    const answers = await Promise.all([
      h.post(sourceId, current, { 'stripe-signature': sign(current, B) }),
      h.post(sourceId, previous, { 'stripe-signature': sign(previous, A) }),
      h.post(sourceId, several, {
        'stripe-signature': `${sign(several, C).split(',')[0]},${other},${sign(several, B).split(',')[1]}`,
      }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await h.dedupeRows(sourceId)).toEqual(expect.arrayContaining(ids));
    ids.forEach((id) => h.started.push(makeStripeEventWorkflowId(sourceId, id)));
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
    await h.setWebhookSecret(sourceId, C); // C current, B previous, A gone
    const [a, b] = [eventBody(), eventBody()];
    expect((await h.post(sourceId, a, { 'stripe-signature': sign(a, A) })).status).toBe(400);
    const accepted = await h.post(sourceId, b, { 'stripe-signature': sign(b, B) });
    expect(accepted.status).toBe(200);
    h.started.push(makeStripeEventWorkflowId(sourceId, (JSON.parse(b) as { id: string }).id));
    // New credentials without a webhookSecret keep the secrets.
    await stack.call(op.SET_CREDENTIALS, { input: { sourceId, stripe: { secretKey: 'sk_test_tributary' } } });
    const c = eventBody();
    expect((await h.post(sourceId, c, { 'stripe-signature': sign(c, C) })).status).toBe(200);
    h.started.push(makeStripeEventWorkflowId(sourceId, (JSON.parse(c) as { id: string }).id));
  });

  it('refuses a signed body that is not a Stripe event, and a body over the limit (413)', async () => {
    const notEvent = JSON.stringify({ id: 'cus_1', object: 'customer' });
    const res = await h.post(sourceId, notEvent, { 'stripe-signature': sign(notEvent, C) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/must be a Stripe event/);
    const garbage = 'not json at all';
    expect((await h.post(sourceId, garbage, { 'stripe-signature': sign(garbage, C) })).status).toBe(400);
    const huge = 'x'.repeat(1024 * 1024 + 1);
    expect((await h.post(sourceId, huge, { 'stripe-signature': sign(huge, C) })).status).toBe(413);
  });

  it('answers 404 for an unknown source, a non-uuid id and a source of another kind; 409 when paused', async () => {
    const body = eventBody();
    const signature = { 'stripe-signature': sign(body, C) };
    expect((await h.post(randomUUID(), body, signature)).status).toBe(404);
    expect((await h.post('not-a-uuid', body, signature)).status).toBe(404);
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: `CRM ${randomUUID()}`, kind: 'HUBSPOT', environment: 'PRODUCTION' },
    });
    expect((await h.post(createSource.id as string, body, signature)).status).toBe(404);

    await stack.call(op.PAUSE_SOURCE, { id: sourceId });
    const paused = await h.post(sourceId, body, signature);
    expect(paused.status).toBe(409);
    expect(((await paused.json()) as { error: string }).error).toMatch(/PAUSED: resume it/);
    await stack.call(op.RESUME_SOURCE, { id: sourceId });
    expect(await h.dedupeRows(sourceId)).not.toContain((JSON.parse(body) as { id: string }).id);
  });

  it('records a delivery sent twice at once once, starting one workflow', async () => {
    const id = `evt_${randomBytes(8).toString('hex')}`;
    const body = eventBody(id);
    const answers = await Promise.all([0, 1].map(() => h.post(sourceId, body, { 'stripe-signature': sign(body, C) })));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { duplicate: boolean }[];
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(bodies.map((b) => b.duplicate).sort()).toEqual([false, true]);
    expect((await h.dedupeRows(sourceId)).filter((e) => e === id)).toHaveLength(1);
    const workflowId = makeStripeEventWorkflowId(sourceId, id);
    h.started.push(workflowId);
    expect((await h.startOf(workflowId)).input).toEqual([{ sourceId, eventId: id }]);
    expect(
      await eventually(async () => ((await h.runsOf(workflowId)) === 1 ? true : undefined), 'one run listed', 10_000),
    ).toBe(true);
  });
});
