// Shopify webhooks end to end (issue 14 point 4): the emulator's deliveries, signed with X-Shopify-Hmac-Sha256,
// reach the real ingest app, each X-Shopify-Event-Id is recorded once and becomes an applyWebhookEvent workflow
// carrying only ids, and the record is read back from Shopify by its GID into Postgres (gone: a delete).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { DEFAULT_TOKEN, type WebhookAttempt } from '../../emulators/shopify/src';
import { queryTestDb } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';
import * as op from '../utils/operations';
import { shopifyControl } from '../utils/shopify-emulator';
import { servedWithin } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

const SHOP = 'tributary-emu.myshopify.com';
const SECRET = 'shpss_tributary_test_app_secret';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Shopify webhooks (ingest → applyWebhookEvent → Postgres)', () => {
  const KEYS = `v1:${randomBytes(32).toString('base64')}`;
  let ingest: TestIngest;
  let stack: SyncStack;
  let sourceId: string;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env = { ENCRYPTION_KEYS: KEYS, INGEST_PUBLIC_URL: publicUrl };
    ingest = await startTestIngest({ ...env, INGEST_PORT: String(port), LOG_LEVEL: 'info' });
    stack = await startSyncStack({
      customers: 1,
      shopify: {
        customers: 20,
        orders: 5,
        products: 5,
        limits: false,
        shopDomain: SHOP,
        webhooks: { secret: SECRET, retries: 0, backoffMs: 10, duplicate: false },
      },
      apiEnv: env,
    });
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'Shop, webhooks', kind: 'SHOPIFY', environment: 'PRODUCTION' },
    });
    sourceId = createSource.id as string;
    await stack.call(op.SET_CREDENTIALS, {
      input: { sourceId, shopify: { shopDomain: SHOP, accessToken: DEFAULT_TOKEN, webhookSecret: SECRET } },
    });
    await servedWithin(stack, sourceId, true, 5000);
    const { source } = await stack.call('query($id: ID!) { source(id: $id) { webhookUrl } }', { id: sourceId });
    url = source.webhookUrl as string;
    expect(url).toBe(`${publicUrl}/webhooks/shopify/${sourceId}`);
    // Subscribed as an admin would (registerSourceWebhook; shopify-webhook-registration covers the registration).
    const { registerSourceWebhook } = await stack.call(op.REGISTER_SOURCE_WEBHOOK, { sourceId });
    expect(registerSourceWebhook.endpointIds).toHaveLength(9);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await ingest?.close();
  });

  const flush = async (): Promise<WebhookAttempt[]> =>
    (await shopifyControl<{ attempts: WebhookAttempt[] }>(stack.shopify!, 'POST', '/webhooks/flush')).attempts;
  const row = async (gid: string, object = 'customers') =>
    (
      await queryTestDb<{ payload: Record<string, unknown>; deleted_at: Date | null }>(
        'SELECT payload, deleted_at FROM records WHERE source_id = $1 AND object = $2 AND external_id = $3',
        [sourceId, object, gid],
      )
    )[0];
  const dedupeRows = async (): Promise<string[]> =>
    (
      await queryTestDb<{ event_id: string }>('SELECT event_id FROM shopify_webhook_events WHERE source_id = $1', [
        sourceId,
      ])
    ).map((r) => r.event_id);

  it('a customer created, updated and deleted in Shopify is created, updated and deleted in Postgres', async () => {
    const [id] = (await shopifyControl<{ ids: string[] }>(stack.shopify!, 'POST', '/objects/customers/create', {})).ids;
    const gid = `gid://shopify/Customer/${id}`;
    expect((await flush()).map((a) => a.status)).toEqual([200]);
    const created = await eventually(async () => row(gid), 'the created customer stored', 30_000);
    expect(created).toMatchObject({ deleted_at: null, payload: { id: gid, legacyResourceId: id } });

    // A second apart (updatedAt has whole seconds), so the versions order the states.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await shopifyControl(stack.shopify!, 'POST', '/objects/customers/update', {
      ids: [id],
      set: { firstName: 'Webhooked' },
    });
    expect((await flush()).map((a) => a.status)).toEqual([200, 200]);
    await eventually(
      async () => ((await row(gid)).payload.firstName === 'Webhooked' ? true : undefined),
      'the update stored',
      30_000,
    );

    await shopifyControl(stack.shopify!, 'POST', '/objects/customers/delete', { ids: [id] }); // same second: still wins
    expect((await flush()).map((a) => a.status)).toEqual([200, 200, 200]);
    await eventually(async () => ((await row(gid)).deleted_at ? true : undefined), 'the deletion stored', 30_000);

    expect(await dedupeRows()).toHaveLength(3);
  }, 120_000);

  it('a redelivery (same X-Shopify-Event-Id, new webhook id) is accepted and recorded once', async () => {
    const before = await dedupeRows();
    await shopifyControl(stack.shopify!, 'POST', '/webhooks/redeliver', {});
    const attempts = await flush();
    expect(attempts[attempts.length - 1].status).toBe(200);
    expect(await dedupeRows()).toEqual(before);
  }, 60_000);

  it('refuses a delivery whose signature is missing or does not match, with a reason', async () => {
    const body = JSON.stringify({ id: 1, admin_graphql_api_id: 'gid://shopify/Customer/1' });
    const headers = {
      'content-type': 'application/json',
      'x-shopify-topic': 'customers/update',
      'x-shopify-event-id': 'forged-1',
    };
    const missing = await fetch(url, { method: 'POST', headers, body });
    expect(missing.status).toBe(401);
    expect(await missing.text()).toMatch(/X-Shopify-Hmac-Sha256/);
    const forged = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'x-shopify-hmac-sha256': Buffer.alloc(32).toString('base64') },
      body,
    });
    expect(forged.status).toBe(401);
    expect(await dedupeRows()).not.toContain('forged-1');
  }, 60_000);

  it.each([
    { object: 'orders', type: 'Order' },
    { object: 'products', type: 'Product' },
  ])(
    '$object: created, then deleted in Shopify ($object/delete), is stored, then marked deleted',
    async ({ object, type }) => {
      const [id] = (await shopifyControl<{ ids: string[] }>(stack.shopify!, 'POST', `/objects/${object}/create`, {}))
        .ids;
      const gid = `gid://shopify/${type}/${id}`;
      await flush();
      const created = await eventually(async () => row(gid, object), `the created ${object} stored`, 30_000);
      expect(created).toMatchObject({ deleted_at: null, payload: { id: gid } });

      await shopifyControl(stack.shopify!, 'POST', `/objects/${object}/delete`, { ids: [id] });
      const attempts = await flush();
      expect(attempts.filter((a) => a.topic === `${object}/delete`).map((a) => a.status)).toEqual([200]);
      const deleted = await eventually(
        async () => ((await row(gid, object)).deleted_at ? row(gid, object) : undefined),
        `the deleted ${object} marked deleted`,
        30_000,
      );
      expect(deleted.payload).toEqual({ id: gid });
    },
    90_000,
  );
});
