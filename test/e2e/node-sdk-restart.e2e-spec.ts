// @tributary/node across an ingest crash: ingest runs as its own OS process, is killed -9 mid-stream while
// the application keeps calling, and comes back on the same port. Every call ends stored exactly once:
// the SDK retries with the same messageIds and ingest dedupes them.
import { randomUUID } from 'node:crypto';
import { type DeliveryResult, Tributary } from '../../packages/node/src';
import { freePort } from '../../scripts/lib/free-port';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv } from '../utils/database';
import { type IngestProcess, startIngestProcess } from '../utils/ingest-process';
import { copiesByMessageId, createTrackingSource } from '../utils/tracking-source';

const TOTAL = 6_000;
const KILL_AFTER_ACKED = 1_000;
const SENT_WHILE_DOWN = 1_500;

describe('Node SDK across an ingest restart', () => {
  let api: TestApi;
  let ingest: IngestProcess | undefined;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
  });
  afterAll(async () => {
    await ingest?.stop();
    await api?.close();
  });

  it('loses nothing acknowledged and stores nothing twice', async () => {
    const token = (await api.createWorkspace('Node SDK restart')).adminToken;
    const { id, writeKey } = await createTrackingSource(api, token, `restart ${randomUUID()}`);
    const port = await freePort();
    ingest = await startIngestProcess({ port });
    let refused = 0;
    // The real fetch, watched: the outage must have been seen (and retried) by the SDK.
    const watched: typeof fetch = (input, init) =>
      fetch(input, init).catch((error: unknown) => {
        refused++;
        throw error;
      });
    const sdk = new Tributary({
      writeKey,
      host: ingest.url,
      fetch: watched,
      flushAt: 50,
      maxInFlight: 4,
      minRetryDelay: 100,
      maxRetryDelay: 1_000,
      maxAttempts: 10_000, // outlast the restart: ts-node recompiles the app
      maxQueueSize: TOTAL,
    });
    const stored = new Set<string>();
    const results: DeliveryResult[] = [];
    sdk.on('result', (r) => {
      results.push(r);
      if (r.status === 'accepted' || r.status === 'duplicate') {
        stored.add(r.messageId);
      }
    });

    let sent = 0;
    const send = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++, sent++) {
        void sdk.track({ userId: `u${sent % 7}`, event: 'Restarted', properties: { n: sent } });
        if (sent % 100 === 99) {
          await new Promise((r) => setTimeout(r, 10)); // an application's pace, not one burst
        }
      }
    };

    // Mid-stream: kill ingest once some calls are acknowledged, while others are in flight.
    while (stored.size < KILL_AFTER_ACKED) {
      if (sent < 2 * KILL_AFTER_ACKED) {
        await send(100);
      } else {
        await new Promise((r) => setTimeout(r, 20)); // a slow ingest: wait for its acks
      }
    }
    await ingest.kill();
    const ackedBeforeKill = new Set(stored);
    await send(SENT_WHILE_DOWN); // the application keeps calling while ingest is down
    ingest = await startIngestProcess({ port });
    await send(Math.max(0, TOTAL - sent));
    await sdk.close();

    expect(refused).toBeGreaterThan(0);
    expect(sent).toBe(TOTAL);
    expect(results).toHaveLength(TOTAL);
    expect(results.filter((r) => r.status !== 'accepted' && r.status !== 'duplicate')).toEqual([]);
    const copies = await copiesByMessageId(id);
    expect([...ackedBeforeKill].filter((m) => copies.get(m) !== 1)).toEqual([]);
    expect(copies.size).toBe(TOTAL);
    expect([...copies.values()].filter((n) => n !== 1)).toEqual([]);
    expect([...stored].sort()).toEqual([...copies.keys()].sort());
  }, 300_000);
});
