// The tracking API as real ingest OS processes (apps/ingest/src/main.ts, as deployed): a per-source rate
// limit enforced exactly by two processes side by side, and kill -9 with requests in flight.
import { exitCode } from '../utils/app-process';
import { queryTestDb } from '../utils/database';
import { type IngestPair, startIngestPair } from '../utils/ingest-pair';
import { type IngestProcess, pool } from '../utils/ingest-process';

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

function track(url: string, key: string, messageId: string): Promise<Response> {
  return fetch(`${url}/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(key) },
    body: JSON.stringify({ anonymousId: 'a1', event: 'Limited', messageId }),
  });
}

describe('tracking API across ingest processes', () => {
  let pair: IngestPair;
  let first: IngestProcess;
  let second: IngestProcess;

  const stored = (sourceId: string) =>
    queryTestDb<{ message_id: string; copies: string }>(
      'SELECT message_id, count(*) AS copies FROM events WHERE source_id = $1 GROUP BY message_id',
      [sourceId],
    );

  beforeAll(async () => {
    pair = await startIngestPair();
    ({ first, second } = pair);
  }, 240_000);
  afterAll(() => pair?.close());

  it('two processes together accept exactly the burst plus what the rate refilled, and answer the rest 429', async () => {
    // Budget: a full bucket of 150 events, refilled at 2 events/s. 600 single-event requests, half to
    // each process, 16 at a time per process: far more than the budget.
    const rate = 2;
    const burst = 150;
    const source = await pair.createSource('limited', { eventsPerSecond: rate, burst });
    const ids = Array.from({ length: 600 }, (_, i) => `m${i}`);
    const statuses = new Map<number, number>();
    let refusal: Response | undefined;
    const started = Date.now();
    await Promise.all(
      [first, second].map((p, half) =>
        pool(
          ids.filter((_, i) => i % 2 === half),
          16,
          async (id) => {
            const res = await track(p.url, source.key, id);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 429 && !refusal) {
              refusal = res;
            } else {
              await res.arrayBuffer();
            }
          },
        ),
      ),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    const accepted = statuses.get(200) ?? 0;
    // Tolerance: the refill during the run, rounded up (no more than that, and never less than the burst).
    expect(accepted).toBeGreaterThanOrEqual(burst);
    expect(accepted).toBeLessThanOrEqual(burst + Math.ceil(rate * elapsedSeconds));
    expect(statuses.get(429)).toBe(ids.length - accepted);
    expect((await stored(source.id)).length).toBe(accepted);

    expect(refusal?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(refusal?.headers.get('ratelimit-limit')).toBe(String(burst));
    expect(Number(refusal?.headers.get('ratelimit-remaining'))).toBeLessThan(1);
    expect(Number(refusal?.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(await refusal?.json()).toEqual({
      success: false,
      code: 'rate_limited',
      error: expect.stringContaining('rate limit'),
    });
  }, 120_000);

  it('after kill -9 with requests in flight, every acknowledged event is stored once, retries included', async () => {
    const source = await pair.createSource('durable', { eventsPerSecond: 100_000, burst: 1_000_000 });
    const ids = Array.from({ length: 3000 }, (_, i) => `k${i}`);
    const acked = new Set<string>();
    const victim = first;
    const died = exitCode(victim.child);
    let killed = false;
    const sending = pool(ids, 32, async (id) => {
      const ok = await track(victim.url, source.key, id).then(
        async (res) => (await res.arrayBuffer(), res.status === 200),
        () => false,
      );
      if (ok) {
        acked.add(id);
      }
      if (!killed && acked.size >= 300) {
        killed = true;
        victim.child.kill('SIGKILL');
      }
    });
    await sending;
    await died;
    expect(killed).toBe(true);
    expect(acked.size).toBeGreaterThanOrEqual(300);
    expect(acked.size).toBeLessThan(ids.length);

    const afterKill = await stored(source.id);
    const present = new Set(afterKill.map((r) => r.message_id));
    expect([...acked].filter((id) => !present.has(id))).toEqual([]);
    expect(afterKill.filter((r) => Number(r.copies) !== 1)).toEqual([]);

    // A client retries everything it sent to the surviving process: each event ends up stored once.
    await pool(ids, 16, async (id) => {
      const res = await track(second.url, source.key, id);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    });
    const afterRetry = await stored(source.id);
    expect(afterRetry.length).toBe(ids.length);
    expect(afterRetry.filter((r) => Number(r.copies) !== 1)).toEqual([]);
  }, 180_000);
});
