// @tributary/node (packages/node) against the real ingest app and Postgres: every call type stored, per-item
// rejections surfaced, a 429's Retry-After honoured, the bounded queue, flush and close.
import { randomUUID } from 'node:crypto';
import { type DeliveryResult, QueueFullError, Tributary, type TributaryOptions } from '../../packages/node/src';
import { freePort } from '../../scripts/lib/free-port';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';
import { copiesByMessageId, createTrackingSource } from '../utils/tracking-source';

describe('Node SDK against ingest', () => {
  let api: TestApi;
  let ingest: TestIngest;
  let token: string;
  const clients: Tributary[] = [];

  const client = (writeKey: string, options: Partial<TributaryOptions> = {}): Tributary => {
    const c = new Tributary({ writeKey, host: ingest.url, ...options });
    clients.push(c);
    return c;
  };
  const source = (name: string, rateLimit?: { eventsPerSecond: number; burst: number }) =>
    createTrackingSource(api, token, `${name} ${randomUUID()}`, rateLimit);

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    token = (await api.createWorkspace('Node SDK')).adminToken;
    ingest = await startTestIngest();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close({ timeout: 1_000 })));
    await ingest?.close();
    await api?.close();
  });

  it('stores identify, track, page, screen, group and alias, each under the messageId it reported', async () => {
    const { id, writeKey } = await source('all calls');
    const sdk = client(writeKey);
    const calls = [
      sdk.identify({ userId: 'u1', traits: { plan: 'pro' } }),
      sdk.track({ userId: 'u1', event: 'Order Completed', properties: { total: 42 } }),
      sdk.page({ anonymousId: 'a1', name: 'Pricing' }),
      sdk.screen({ userId: 'u1', name: 'Home' }),
      sdk.group({ userId: 'u1', groupId: 'g1', traits: { name: 'Acme' } }),
      sdk.alias({ userId: 'u1', previousId: 'a1' }),
    ];
    await sdk.flush();
    const results = await Promise.all(calls);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('accepted'));

    const rows = await queryTestDb<{ message_id: string; type: string; event: string | null; library: string }>(
      "SELECT message_id, type, event, payload->'context'->'library'->>'name' AS library FROM events WHERE source_id = $1",
      [id],
    );
    const byId = new Map(rows.map((r) => [r.message_id, r]));
    expect(results.map((r) => byId.get(r.messageId)?.type)).toEqual([
      'identify',
      'track',
      'page',
      'screen',
      'group',
      'alias',
    ]);
    expect(byId.get(results[1].messageId)).toMatchObject({ event: 'Order Completed', library: '@tributary/node' });
  });

  it('surfaces per-item rejections with code, field and reason, and stores the rest of the batch', async () => {
    const { id, writeKey } = await source('rejections');
    const sdk = client(writeKey);
    const rejected: DeliveryResult[] = [];
    sdk.on('rejected', (r) => rejected.push(r));
    const good = sdk.track({ userId: 'u1', event: 'Fine' });
    const anonymous = sdk.track({ event: 'No identity' });
    const blank = sdk.group({ userId: 'u1', groupId: '' });
    await sdk.flush();

    expect((await good).status).toBe('accepted');
    expect(await anonymous).toMatchObject({ status: 'rejected', code: 'missing_identity', reason: expect.any(String) });
    expect(await blank).toMatchObject({ status: 'rejected', field: 'groupId', reason: expect.any(String) });
    expect(rejected.map((r) => r.messageId)).toEqual([(await anonymous).messageId, (await blank).messageId]);
    expect([...(await copiesByMessageId(id)).keys()]).toEqual([(await good).messageId]);
  });

  it('waits out a 429 for its Retry-After, then delivers everything once', async () => {
    const { id, writeKey } = await source('limited', { eventsPerSecond: 5, burst: 10 });
    const seen: { status: number; at: number; retryAfter: string | null }[] = [];
    // The real fetch, watched: which answers came when.
    const watched: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      seen.push({ status: res.status, at: Date.now(), retryAfter: res.headers.get('retry-after') });
      return res;
    };
    const sdk = client(writeKey, { fetch: watched, flushAt: 10, maxInFlight: 1 });
    const calls = Array.from({ length: 30 }, (_, n) => sdk.track({ userId: 'u1', event: `Limited ${n}` }));
    await sdk.flush();

    expect((await Promise.all(calls)).map((r) => r.status)).toEqual(Array(30).fill('accepted'));
    const limited = seen.findIndex((s) => s.status === 429);
    expect(limited).toBeGreaterThan(0);
    const waited = seen[limited + 1].at - seen[limited].at;
    expect(waited).toBeGreaterThanOrEqual(Number(seen[limited].retryAfter) * 1000);
    const copies = await copiesByMessageId(id);
    expect(copies.size).toBe(30);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('throws a clear QueueFullError past maxQueueSize; what was queued is still delivered', async () => {
    const { id, writeKey } = await source('queue full');
    const sdk = client(writeKey, { maxQueueSize: 5, flushInterval: 60_000 });
    const queued = Array.from({ length: 5 }, (_, n) => sdk.track({ userId: 'u1', event: `Queued ${n}` }));
    expect(() => sdk.track({ userId: 'u1', event: 'One too many' })).toThrow(QueueFullError);
    expect(() => sdk.track({ userId: 'u1', event: 'One too many' })).toThrow(/queue is full \(5 calls/);
    await sdk.close();
    expect((await Promise.all(queued)).map((r) => r.status)).toEqual(Array(5).fill('accepted'));
    expect((await copiesByMessageId(id)).size).toBe(5);
  });

  it('flush resolves only once every call is stored; close refuses new calls', async () => {
    const { id, writeKey } = await source('flush');
    const sdk = client(writeKey, { flushAt: 40, maxInFlight: 2, flushInterval: 60_000 });
    for (let n = 0; n < 250; n++) {
      void sdk.track({ userId: 'u1', event: `Flushed ${n}` });
    }
    expect(sdk.pending).toBe(250);
    await sdk.flush();
    expect(sdk.pending).toBe(0);
    expect((await copiesByMessageId(id)).size).toBe(250); // read right after flush: nothing in flight
    await sdk.close();
    expect(() => sdk.track({ userId: 'u1', event: 'Late' })).toThrow(/closed/);
  });

  it('close with a timeout reports calls to an unreachable ingest as failed, none silently dropped', async () => {
    const { writeKey } = await source('unreachable');
    const dead = `http://127.0.0.1:${await freePort()}`;
    const sdk = new Tributary({ writeKey, host: dead, minRetryDelay: 50, maxRetryDelay: 200, maxAttempts: 1_000 });
    const failed: DeliveryResult[] = [];
    sdk.on('failed', (r) => failed.push(r));
    const calls = Array.from({ length: 3 }, () => sdk.track({ userId: 'u1', event: 'Lost cause' }));
    const started = Date.now();
    await sdk.close({ timeout: 1_500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await Promise.all(calls)).map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(failed).toHaveLength(3);
    expect(failed[0]).toMatchObject({ reason: expect.stringMatching(/closed before delivery.*network: ECONNREFUSED/) });
  });
});
