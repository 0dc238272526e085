// The rate limit taken in the group's own commit (event-commit.ts) against real Postgres: a group of
// rate-limited requests costs ONE statement (tokens, dedupe keys and events together), the requests over the
// limit store nothing, and a commit that fails charges no tokens.
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import {
  IngestionModule,
  IngestionService,
  normalizeMessage,
  RateLimitedError,
  type TrackingEvent,
} from '@app/ingestion';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { testConfig } from '../utils/test-config';

function event(messageId: string, name = 'Clicked'): TrackingEvent {
  const result = normalizeMessage({ userId: 'u1', event: 'Clicked', messageId }, { receivedAt: new Date() }, 'track');
  if (!result.ok) {
    throw new Error(result.reason);
  }
  // The name is set after validation so that a test can send what validation would refuse.
  return { ...result.event, event: name };
}

const items = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ ok: true as const, event: event(`${prefix}${i}`) }));

const storedIds = async (sourceId: string): Promise<string[]> =>
  (
    await queryTestDb<{ message_id: string }>(
      'SELECT message_id FROM events WHERE source_id = $1 ORDER BY message_id',
      [sourceId],
    )
  ).map((r) => r.message_id);

describe('rate limit taken in the group commit', () => {
  let context: INestApplicationContext;
  let ingestion: IngestionService;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig()), DatabaseModule, IngestionModule],
    }).compile();
    context = await moduleRef.init();
    ingestion = context.get(IngestionService);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('commits a group of limited requests in one statement, storing only the admitted ones', async () => {
    const sourceId = randomUUID();
    const limit = { eventsPerSecond: 0.001, burst: 10 };
    const statements = jest.spyOn(Client.prototype, 'query');
    try {
      // Same tick: one group. 4 + 5 fit the burst of 10; the third (3 more) does not.
      const answers = await Promise.allSettled([
        ingestion.ingest(sourceId, items('a', 4), limit),
        ingestion.ingest(sourceId, items('b', 5), limit),
        ingestion.ingest(sourceId, items('c', 3), limit),
      ]);
      expect(statements).toHaveBeenCalledTimes(1);
      expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      const refusal = (answers[2] as PromiseRejectedResult).reason as unknown;
      expect(refusal).toBeInstanceOf(RateLimitedError);
      expect((refusal as RateLimitedError).verdict).toMatchObject({ admitted: false, limit: 10, remaining: 1 });
    } finally {
      statements.mockRestore();
    }
    expect(await storedIds(sourceId)).toEqual([...items('a', 4), ...items('b', 5)].map((i) => i.event.messageId));
    const [bucket] = await queryTestDb<{ tokens: number }>(
      'SELECT tokens FROM source_rate_buckets WHERE source_id = $1',
      [sourceId],
    );
    expect(bucket.tokens).toBeGreaterThanOrEqual(1);
    expect(bucket.tokens).toBeLessThan(1.1);
  });

  it('charges no tokens when the commit fails, so the retried request still fits', async () => {
    const sourceId = randomUUID();
    const limit = { eventsPerSecond: 0.001, burst: 5 };
    // Postgres refuses NUL in text: the statement fails after the take would have run.
    const poisoned = [{ ok: true as const, event: event('p0', 'bad\u0000name') }, ...items('p', 4).slice(1)];
    await expect(ingestion.ingest(sourceId, poisoned, limit)).rejects.toThrow();
    const buckets = await queryTestDb<{ tokens: number }>(
      'SELECT tokens FROM source_rate_buckets WHERE source_id = $1',
      [sourceId],
    );
    expect(buckets.map((b) => Number(b.tokens) >= 5)).toEqual(buckets.map(() => true));
    const retried = await ingestion.ingest(sourceId, items('p', 5), limit);
    expect(retried.map((r) => r.status)).toEqual(Array(5).fill('accepted'));
  });

  it('takes a lease with the first take, then admits from it without touching the bucket row', async () => {
    const sourceId = randomUUID();
    // Lease: 0.1 s of the rate (100 events), within 1% of the burst (500).
    const limit = { eventsPerSecond: 1_000, burst: 50_000 };
    const bucket = async () =>
      (
        await queryTestDb<{ tokens: number; updated_at: Date }>(
          'SELECT tokens, updated_at FROM source_rate_buckets WHERE source_id = $1',
          [sourceId],
        )
      )[0];
    await ingestion.ingest(sourceId, items('l0-', 2), limit);
    const first = await bucket();
    // The first take charged the request and the lease.
    expect(Number(first.tokens)).toBeCloseTo(50_000 - 2 - 100, 0);
    for (let k = 1; k <= 10; k++) {
      await ingestion.ingest(sourceId, items(`l${k}-`, 10), limit);
    }
    // 100 events paid by the lease: the row was neither read for an update nor written.
    expect(await bucket()).toEqual(first);
    await ingestion.ingest(sourceId, items('l11-', 1), limit);
    expect((await bucket()).updated_at.getTime()).toBeGreaterThan(first.updated_at.getTime());
    expect(await storedIds(sourceId)).toHaveLength(2 + 100 + 1);
  });

  it('never admits more than the bucket gave, with leases: the burst, then the lease runs dry', async () => {
    const sourceId = randomUUID();
    // Lease 0.1 s of 100/s = 10 events (1% of 1,000 = 10); almost no refill during the test.
    const limit = { eventsPerSecond: 100, burst: 1_000 };
    let accepted = 0;
    const started = Date.now();
    for (let k = 0; k < 60; k++) {
      const answer = await ingestion.ingest(sourceId, items(`d${k}-`, 20), limit).catch((e: unknown) => e);
      accepted += answer instanceof RateLimitedError ? 0 : 20;
    }
    const elapsedSeconds = (Date.now() - started) / 1000;
    // Never more than the burst plus what the rate refilled while the test ran; less by at most the lease
    // left unused and a request that no longer fits.
    expect(accepted).toBeLessThanOrEqual(1_000 + Math.ceil(100 * elapsedSeconds));
    expect(accepted).toBeGreaterThanOrEqual(1_000 - 10 - 20);
    expect(await storedIds(sourceId)).toHaveLength(accepted);
  });
});
