// The per-source token bucket (rate-gate.ts, take_rate_tokens) against real Postgres: admission in order
// while the running total fits, a batch larger than the burst, refill at the rate, and what a refused
// request is told.
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { RateGate, type RateRequest } from '@app/ingestion';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { testConfig } from '../utils/test-config';

describe('RateGate (per-source token buckets in Postgres)', () => {
  let context: INestApplicationContext;
  let sut: RateGate;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig()), DatabaseModule],
      providers: [RateGate],
    }).compile();
    context = await moduleRef.init();
    sut = context.get(RateGate);
  });
  afterAll(async () => {
    await context?.close();
  });

  const requests = (sourceId: string, sizes: number[], eventsPerSecond = 1, burst = 10): RateRequest[] =>
    sizes.map((size) => ({ sourceId, limit: { eventsPerSecond, burst }, size }));

  it('admits requests in order while their running total fits a full bucket, then refuses the rest', async () => {
    const source = randomUUID();
    const verdicts = await sut.admit(requests(source, [4, 5, 2, 1]));
    expect(verdicts.map((v) => v.admitted)).toEqual([true, true, false, false]);
    expect(verdicts[2]).toMatchObject({ limit: 10, remaining: 1, retryAfterSeconds: 1 });
    expect(verdicts[2].resetSeconds).toBeGreaterThanOrEqual(9);
    // The next take sees what this one left (about 1 token, plus a moment's refill).
    expect((await sut.admit(requests(source, [2])))[0].admitted).toBe(false);
    const [row] = await queryTestDb<{ tokens: number }>('SELECT tokens FROM source_rate_buckets WHERE source_id = $1', [
      source,
    ]);
    expect(row.tokens).toBeGreaterThanOrEqual(1);
    expect(row.tokens).toBeLessThan(2);
  });

  it('keeps sources apart, and lets a batch larger than the burst pass when the bucket is full', async () => {
    const [big, other] = [randomUUID(), randomUUID()];
    const verdicts = await sut.admit([...requests(big, [2500]), ...requests(other, [10])]);
    expect(verdicts.map((v) => v.admitted)).toEqual([true, true]);
    expect((await sut.admit(requests(big, [1])))[0].admitted).toBe(false);
  });

  it('refills at the rate, never above the burst', async () => {
    const source = randomUUID();
    expect((await sut.admit(requests(source, [100], 1000, 100)))[0].admitted).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // ~300 tokens at 1000/s, capped at 100
    const verdicts = await sut.admit(requests(source, [100, 1], 1000, 100));
    expect(verdicts.map((v) => v.admitted)).toEqual([true, false]);
  });
});
