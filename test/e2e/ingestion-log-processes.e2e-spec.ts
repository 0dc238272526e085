// The ingestion log's counters with real ingest OS processes (apps/ingest/src/main.ts): exact across two
// processes under a mix of accepted, duplicate, rejected and rate-limited messages; a graceful stop writes
// what was counted; kill -9 loses at most the last flush interval's counts (never the events).
import { exitCode } from '../utils/app-process';
import { queryTestDb } from '../utils/database';
import { type IngestPair, startIngestPair } from '../utils/ingest-pair';
import { type IngestProcess, pollUntil, pool } from '../utils/ingest-process';

type Tally = Record<'accepted' | 'duplicate' | 'rejected' | 'quarantined' | 'rate_limited', number>;
const zero = (): Tally => ({ accepted: 0, duplicate: 0, rejected: 0, quarantined: 0, rate_limited: 0 });
const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function post(url: string, key: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(key) },
    body: JSON.stringify(body),
  });
}

/** What ingestion_counters holds for a source, per status. */
async function counted(sourceId: string): Promise<Tally> {
  const rows = await queryTestDb<{ status: keyof Tally; n: string }>(
    'SELECT status, sum(count)::text AS n FROM ingestion_counters WHERE source_id = $1 GROUP BY status',
    [sourceId],
  );
  const tally = zero();
  rows.forEach((r) => (tally[r.status] = Number(r.n)));
  return tally;
}

const storedEvents = async (sourceId: string): Promise<number> =>
  Number(
    (await queryTestDb<{ n: string }>('SELECT count(*)::text AS n FROM events WHERE source_id = $1', [sourceId]))[0].n,
  );

describe('ingestion log counters across ingest processes', () => {
  let pair: IngestPair;
  let first: IngestProcess;
  let second: IngestProcess;

  beforeAll(async () => {
    pair = await startIngestPair();
    ({ first, second } = pair);
  }, 240_000);
  afterAll(() => pair?.close());

  it('counts exactly what two processes answered: accepted, duplicate, rejected and rate-limited', async () => {
    // 200 events of burst, 5/s refill: far less than the ~500 valid events sent, so many requests get 429.
    const source = await pair.createSource('mixed', { eventsPerSecond: 5, burst: 200 });
    const answered = zero();
    const statuses = new Set<number>();
    const requests = Array.from({ length: 300 }, (_, i) => i);
    await Promise.all(
      [first, second].map((p, half) =>
        pool(
          requests.filter((i) => i % 2 === half),
          8,
          async (i) => {
            if (i % 7 === 0) {
              // A single call with no identity: 400, one rejected message.
              const res = await post(p.url, source.key, '/v1/track', { event: 'E', messageId: `single${i}` });
              statuses.add(res.status);
              await res.arrayBuffer();
              answered.rejected += res.status === 400 ? 1 : 0;
              return;
            }
            const valid = (id: string) => ({ type: 'track', userId: 'u', event: 'E', messageId: id });
            const invalid = { type: 'track', event: 'E', messageId: `bad${i}` };
            // Ids repeat 31 requests apart, so across the two processes (odd distance, other parity) and early
            // enough that the burst admits both (i % 150 put the repeats past the burst: a slow run saw none).
            // Every 10th request is all invalid.
            const batch =
              i % 10 === 1
                ? [invalid, invalid]
                : [valid(`m${i % 31}`), valid(`n${i}`), ...(i % 3 === 0 ? [invalid] : [])];
            const res = await post(p.url, source.key, '/v1/batch', { batch });
            statuses.add(res.status);
            const body = (await res.json()) as { accepted: number; duplicate: number; rejected: number };
            if (res.status === 429) {
              answered.rate_limited += batch.length;
            } else if (res.status === 200) {
              answered.accepted += body.accepted;
              answered.duplicate += body.duplicate;
              answered.rejected += body.rejected;
            }
          },
        ),
      ),
    );
    expect([...statuses].sort()).toEqual([200, 400, 429]);
    expect(answered.duplicate).toBeGreaterThan(0);
    // Each process writes its counts within INGESTION_LOG_FLUSH_MS.
    const log = await pollUntil(
      () => counted(source.id),
      (c) => JSON.stringify(c) === JSON.stringify(answered),
    );
    expect(log).toEqual(answered);
    expect(await storedEvents(source.id)).toBe(answered.accepted);
    const [kept] = await queryTestDb<{ n: string }>(
      'SELECT count(*)::text AS n FROM ingestion_rejections WHERE source_id = $1',
      [source.id],
    );
    expect(Number(kept.n)).toBe(answered.rejected);
  }, 120_000);

  it('a graceful stop (SIGTERM) writes everything counted before the process exits', async () => {
    const source = await pair.createSource('graceful');
    const ids = Array.from({ length: 50 }, (_, i) => `g${i}`);
    await pool(ids, 8, async (id) => {
      const res = await post(second.url, source.key, '/v1/track', { userId: 'u', event: 'E', messageId: id });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    });
    const exited = exitCode(second.child);
    second.child.kill('SIGTERM'); // at once: well within the flush interval
    expect(await exited).toBe(0);
    expect(await counted(source.id)).toEqual({ ...zero(), accepted: 50 });
  }, 60_000);

  it('kill -9 loses at most the counts of the last flush interval; every acknowledged event is stored', async () => {
    const source = await pair.createSource('killed');
    const send = (id: string) =>
      post(first.url, source.key, '/v1/track', { userId: 'u', event: 'E', messageId: id }).then(async (res) => {
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      });
    await pool(
      Array.from({ length: 100 }, (_, i) => `before${i}`),
      8,
      send,
    );
    // Flushed: what a kill cannot take back.
    expect(
      (
        await pollUntil(
          () => counted(source.id),
          (c) => c.accepted === 100,
        )
      ).accepted,
    ).toBe(100);
    await pool(
      Array.from({ length: 60 }, (_, i) => `after${i}`),
      8,
      send,
    );
    const died = exitCode(first.child);
    first.child.kill('SIGKILL');
    await died;
    const after = await counted(source.id);
    expect(after.accepted).toBeGreaterThanOrEqual(100);
    expect(after.accepted).toBeLessThanOrEqual(160);
    expect(await storedEvents(source.id)).toBe(160);
  }, 60_000);
});
