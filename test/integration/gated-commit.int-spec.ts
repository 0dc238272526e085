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
});
