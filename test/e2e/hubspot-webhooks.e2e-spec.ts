// HubSpot webhooks end to end (issue 13 point 5): the emulator's signed v3 deliveries (JSON arrays of events)
// reach the real ingest app at the public URI it signed, each event id is recorded once and becomes an
// applyWebhookEvent workflow carrying only ids, and the record is read back from HubSpot by id into Postgres.
// Signature and body refusals answer with a reason and leave nothing behind.
import { Signature } from '@hubspot/api-client';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { makeWebhookEventWorkflowId } from '@app/temporal';
import { DEFAULT_TOKEN, DEFAULT_WEBHOOKS, type WebhookAttempt } from '../../emulators/hubspot/src';
import { queryTestDb, requiredEnv } from '../utils/database';
import { readableText } from '../utils/history';
import { startTestIngest, type TestIngest } from '../utils/ingest';
import * as op from '../utils/operations';
import { servedWithin } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

const SECRET = DEFAULT_WEBHOOKS.clientSecret;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// @hubspot/api-client's own signer: an implementation independent of the one under test.
function signed(url: string, body: string, secret = SECRET, timestamp = Date.now()): Record<string, string> {
  const opts = { signature: '', clientSecret: secret, requestBody: body, url, timestamp };
  return {
    'x-hubspot-signature-v3': Signature.getSignature('POST', 'v3', opts),
    'x-hubspot-request-timestamp': String(timestamp),
  };
}

describe('HubSpot webhooks (ingest → applyWebhookEvent → Postgres)', () => {
  const KEYS = `v1:${randomBytes(32).toString('base64')}`;
  let ingest: TestIngest;
  let stack: SyncStack;
  let temporal: Client;
  let connection: Connection;
  let sourceId: string;
  let url: string;
  const started: string[] = [];

  beforeAll(async () => {
    // HubSpot signs the public URI: ingest rebuilds it from INGEST_PUBLIC_URL, its own address here.
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env = { ENCRYPTION_KEYS: KEYS, INGEST_PUBLIC_URL: publicUrl };
    ingest = await startTestIngest({ ...env, INGEST_PORT: String(port), LOG_LEVEL: 'info' });
    stack = await startSyncStack({
      customers: 1,
      hubspot: { contacts: 20, companies: 5, deals: 5 },
      apiEnv: env,
    });
    connection = await Connection.connect({ address: requiredEnv('TEST_TEMPORAL_ADDRESS') });
    temporal = new Client({ connection });
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'CRM, webhooks', kind: 'HUBSPOT', environment: 'PRODUCTION' },
    });
    sourceId = createSource.id as string;
    await stack.call(op.SET_CREDENTIALS, {
      input: { sourceId, hubspot: { accessToken: DEFAULT_TOKEN, webhookSecret: SECRET } },
    });
    await servedWithin(stack, sourceId, true, 5000);
    const { source } = await stack.call('query($id: ID!) { source(id: $id) { webhookUrl } }', { id: sourceId });
    url = source.webhookUrl as string;
    expect(url).toBe(`${publicUrl}/webhooks/hubspot/${sourceId}`);
  }, 120_000);

  afterAll(async () => {
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

  const emulator = async (path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${stack.hubspot!.url}/_emulator${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const flush = async (): Promise<WebhookAttempt[]> => (await emulator('/webhooks/flush')).attempts;
  const post = (body: string, headers: Record<string, string>, to = url): Promise<Response> =>
    fetch(to, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const dedupeRows = async (): Promise<string[]> =>
    (
      await queryTestDb<{ event_id: string }>(
        'SELECT event_id FROM hubspot_webhook_events WHERE source_id = $1 ORDER BY event_id',
        [sourceId],
      )
    ).map((r) => r.event_id);
  const row = async (id: string) =>
    (
      await queryTestDb<{ payload: { properties: Record<string, string | null> }; deleted_at: Date | null }>(
        "SELECT payload, deleted_at FROM records WHERE source_id = $1 AND object = 'contacts' AND external_id = $2",
        [sourceId, id],
      )
    )[0];
  const truth = (id: string) => {
    const store = stack.hubspot!.state.stores.contacts;
    return JSON.parse(JSON.stringify(store.render(store.get(Number(id))!, store.propertyNames()))) as unknown;
  };
  const event = (eventId: number, objectId: string, subscriptionType = 'contact.propertyChange') => ({
    eventId,
    subscriptionId: 1,
    portalId: stack.hubspot!.state.portalId,
    appId: DEFAULT_WEBHOOKS.appId,
    occurredAt: Date.now(),
    subscriptionType,
    attemptNumber: 0,
    objectId: Number(objectId),
    changeSource: 'CRM_UI',
  });

  it('a contact created, updated and deleted in HubSpot is created, updated and deleted in Postgres', async () => {
    await emulator('/webhooks', { targetUrl: url, retries: 0 });
    try {
      const [id] = (await emulator('/objects/contacts/create', { count: 1 })).ids as string[];
      expect((await flush()).map((a) => a.status)).toEqual([200]);
      const created = await eventually(async () => row(id), 'the created contact stored', 30_000);
      expect(created.payload).toEqual(truth(id));
      expect(created.deleted_at).toBeNull();

      // A second apart by HubSpot's clock, so the versions (modification times) order the two states.
      await emulator('/clock', { advanceMs: 1000 });
      await emulator('/objects/contacts/update', { ids: [id], set: { firstname: 'Webhooked', lastname: 'Twice' } });
      expect((await flush()).map((a) => a.status)).toEqual([200, 200]);
      const updated = await eventually(
        async () => ((await row(id)).payload.properties.firstname === 'Webhooked' ? row(id) : undefined),
        'the update stored',
        30_000,
      );
      expect(updated.payload).toEqual(truth(id));

      await emulator('/clock', { advanceMs: 1000 });
      await emulator('/objects/contacts/archive', { ids: [id] });
      expect((await flush()).map((a) => a.status)).toEqual([200, 200, 200]);
      const deleted = await eventually(
        async () => ((await row(id)).deleted_at ? row(id) : undefined),
        'the deletion stored',
        30_000,
      );
      expect(deleted.payload).toMatchObject({ id, archived: true });

      // One dedupe row and one workflow per event (creation, two property changes, deletion).
      const events = await dedupeRows();
      expect(events).toHaveLength(4);
      const histories = await Promise.all(
        events.map((eventId) =>
          temporal.workflow.getHandle(makeWebhookEventWorkflowId('hubspot', sourceId, eventId)).fetchHistory(),
        ),
      );
      // Only ids crossed into Temporal: no property value, no secret.
      const text = readableText(histories).join('\n');
      const { email } = (truth(id) as { properties: { email: string } }).properties;
      expect(text).toContain(`contacts:${id}:`);
      for (const secretOrData of [email, 'Webhooked', 'Twice', SECRET, DEFAULT_TOKEN]) {
        expect(text).not.toContain(secretOrData);
      }
      // A WEBHOOK run per event; whichever read the record after its archive recorded the delete.
      const runs = await eventually(
        async () => {
          const { syncRuns } = await stack.call(op.SYNC_RUNS, { sourceId, first: 20 });
          const nodes = (syncRuns.edges as { node: { mode: string; status: string } }[]).map((e) => e.node);
          const done = nodes.filter((r) => r.mode === 'WEBHOOK' && r.status === 'SUCCEEDED');
          return done.length === 4 ? done : undefined;
        },
        'a WEBHOOK run per event',
        30_000,
      );
      expect(runs).toHaveLength(4);
    } finally {
      await emulator('/webhooks', { targetUrl: null });
    }
  }, 120_000);

  it('a link added and removed in HubSpot is stored and deleted, with the contact’s other links', async () => {
    const state = stack.hubspot!.state;
    const contact = state.stores.contacts.idList(false)[0];
    const linked = new Set(state.associations.read('contacts', contact, 'companies').map((l) => l.toObjectId));
    const company = state.stores.companies.idList(false).find((id) => !linked.has(id))!;
    const links = async () =>
      new Map(
        (
          await queryTestDb<{ external_id: string; deleted_at: Date | null }>(
            "SELECT external_id, deleted_at FROM records WHERE source_id = $1 AND object = 'contact_companies'",
            [sourceId],
          )
        ).map((r) => [r.external_id, r.deleted_at === null]),
      );
    const pair = `${contact}-${company}`;
    const earlier = (await flush()).length; // the emulator lists every attempt since it started
    await emulator('/webhooks', { targetUrl: url, retries: 0 });
    try {
      await emulator('/associations', { from: 'contacts', fromId: contact, to: 'companies', toId: company });
      expect((await flush()).slice(earlier).map((a) => a.status)).toEqual([200]);
      const added = await eventually(async () => ((await links()).get(pair) ? links() : undefined), 'link', 30_000);
      const truth = state.associations.read('contacts', contact, 'companies').map((l) => `${contact}-${l.toObjectId}`);
      expect([...added.keys()].sort()).toEqual(truth.sort());

      await emulator('/clock', { advanceMs: 1000 });
      await emulator('/associations', {
        from: 'contacts',
        fromId: contact,
        to: 'companies',
        toId: company,
        remove: true,
      });
      expect((await flush()).slice(earlier).map((a) => a.status)).toEqual([200, 200]);
      const removed = await eventually(
        async () => ((await links()).get(pair) === false ? links() : undefined),
        'the link deleted',
        30_000,
      );
      expect(
        [...removed]
          .filter(([, live]) => live)
          .map(([id]) => id)
          .sort(),
      ).toEqual(truth.filter((id) => id !== pair).sort());
    } finally {
      await emulator('/webhooks', { targetUrl: null });
    }
  }, 120_000);

  it('processes an event delivered twice (at once, and again later) once', async () => {
    const [contact] = await queryTestDb<{ external_id: string }>(
      "SELECT external_id FROM records WHERE source_id = $1 AND object = 'contacts' LIMIT 1",
      [sourceId],
    );
    const eventId = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    const body = JSON.stringify([event(eventId, contact.external_id)]);
    const answers = await Promise.all([0, 1].map(() => post(body, signed(url, body))));
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const duplicates = ((await Promise.all(answers.map((r) => r.json()))) as { duplicate: boolean }[]).map(
      (b) => b.duplicate,
    );
    expect(duplicates.sort()).toEqual([false, true]);
    const again = await post(body, signed(url, body));
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect((await dedupeRows()).filter((e) => e === String(eventId))).toHaveLength(1);
    const workflowId = makeWebhookEventWorkflowId('hubspot', sourceId, String(eventId));
    started.push(workflowId);
    let runs = 0;
    for await (const _ of temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      runs++;
    }
    expect(runs).toBe(1);
  });

  describe('refusals', () => {
    const refusedLines = (): string[] => ingest.logs.filter((l) => l.includes('HubSpot webhook refused'));
    const body = (eventId: number) => JSON.stringify([event(eventId, '1')]);

    it.each([
      ['a signature by another secret', (b: string) => signed(url, b, 'another-app-secret-0000'), /does not match/],
      ['a body changed after signing', (b: string) => signed(url, b.replace('"objectId":1', '"objectId":2')), /match/],
      [
        'a signature of another URI (HubSpot called another address)',
        (b: string) => signed(url.replace('127.0.0.1', 'localhost'), b),
        /INGEST_PUBLIC_URL/,
      ],
      ['a timestamp over five minutes old', (b: string) => signed(url, b, SECRET, Date.now() - 301_000), /300 s/],
      ['no signature headers', () => ({}), /missing/],
    ])('refuses %s with 401 and a reason, one log line, nothing recorded or started', async (_what, headers, why) => {
      const eventId = 800_000_000 + Math.floor(Math.random() * 1_000_000);
      const b = body(eventId);
      const before = refusedLines().length;
      const res = await post(b, headers(b));
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(why);
      expect(refusedLines().length - before).toBe(1);
      expect(refusedLines().at(-1)).not.toContain(SECRET);
      expect(await dedupeRows()).not.toContain(String(eventId));
      await expect(
        temporal.workflow.getHandle(makeWebhookEventWorkflowId('hubspot', sourceId, String(eventId))).describe(),
      ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });

    it('refuses a signed body that is not an array of events (400), and one over the limit (413)', async () => {
      for (const notEvents of [JSON.stringify(event(1, '1')), '[]', 'not json', JSON.stringify([{ eventId: 1 }])]) {
        const res = await post(notEvents, signed(url, notEvents));
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: string }).error).toMatch(/HubSpot webhook event/);
      }
      const huge = `[${'x'.repeat(8 * 1024 * 1024)}]`;
      expect((await post(huge, signed(url, huge))).status).toBe(413);
    });

    it('answers 404 for an unknown source and for a source of another kind', async () => {
      const b = body(1);
      const other = url.replace(sourceId, randomUUID());
      expect((await post(b, signed(other, b), other)).status).toBe(404);
      const { createSource } = await stack.call(op.CREATE_SOURCE, {
        input: { name: 'Billing', kind: 'STRIPE', environment: 'PRODUCTION' },
      });
      const stripe = url.replace(sourceId, createSource.id as string);
      const res = await post(b, signed(stripe, b), stripe);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/No HubSpot source has the id/);
    });
  });
});
