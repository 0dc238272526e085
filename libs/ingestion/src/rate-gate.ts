import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A source's token bucket: refilled at eventsPerSecond, holding at most burst events. */
export interface SourceRateLimit {
  eventsPerSecond: number;
  burst: number;
}

/** One request asking for `size` events of a source's budget. */
export interface RateRequest {
  sourceId: string;
  limit: SourceRateLimit;
  size: number;
}

/** The gate's answer to one request, with what the RateLimit-* headers say. */
export interface RateVerdict {
  admitted: boolean;
  limit: number;
  /** Whole events left in the bucket after this group's take. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until a refused request of this size would fit (0 when admitted). */
  retryAfterSeconds: number;
}

/** Over the source's rate limit: the route answers 429 with these figures. */
export class RateLimitedError extends Error {
  constructor(readonly verdict: RateVerdict) {
    super('Over the source’s rate limit');
  }
}

/**
 * Per-source rate limits shared by every ingest process through one bucket row per source in Postgres,
 * taken once per source per group of requests (not per event) by take_rate_tokens (see its migration,
 * 1796220000000): the row lock serialises processes, so two never spend the same tokens. A request costs its valid events, capped at the
 * burst so that a batch larger than the burst still passes when the bucket is full. Ingest takes its tokens
 * inside the group's commit statement instead (event-commit.ts), with the same function and verdicts; this
 * stand-alone take is for a caller that stores nothing.
 */
@Injectable()
export class RateGate {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One verdict per request, in order. */
  async admit(requests: RateRequest[]): Promise<RateVerdict[]> {
    const bySource = new Map<string, number[]>();
    requests.forEach((r, i) => bySource.set(r.sourceId, [...(bySource.get(r.sourceId) ?? []), i]));
    const verdicts: RateVerdict[] = new Array<RateVerdict>(requests.length);
    await Promise.all(
      [...bySource.values()].map(async (indexes) => {
        const mine = indexes.map((i) => requests[i]);
        const perSource = await this.take(mine);
        indexes.forEach((i, k) => (verdicts[i] = perSource[k]));
      }),
    );
    return verdicts;
  }

  private async take(requests: RateRequest[]): Promise<RateVerdict[]> {
    const { sourceId, limit, totals } = rateTake(requests);
    const [bucket] = await this.db.query<{ tokens: number; granted: number }[]>(
      'SELECT tokens, granted FROM take_rate_tokens($1, $2, $3, $4)',
      [sourceId, limit.burst, limit.eventsPerSecond, totals],
    );
    return rateVerdicts(requests, Number(bucket.tokens), Number(bucket.granted));
  }
}

/**
 * What one take_rate_tokens call asks for a source's requests (in order): the newest settings the group
 * saw (requests of one group resolve the same source within moments), and the running sums of their costs.
 * A request costs its events, capped at the burst so that a batch larger than the burst still passes.
 */
export function rateTake(requests: RateRequest[]): { sourceId: string; limit: SourceRateLimit; totals: number[] } {
  const { sourceId, limit } = requests[requests.length - 1];
  let running = 0;
  const totals = requests.map((r) => (running += Math.min(r.size, limit.burst)));
  return { sourceId, limit, totals };
}

/** One verdict per request of a take, from what the bucket held after it and the tokens it granted. */
export function rateVerdicts(requests: RateRequest[], tokens: number, granted: number): RateVerdict[] {
  const { limit, totals } = rateTake(requests);
  const resetSeconds = Math.ceil((limit.burst - tokens) / limit.eventsPerSecond);
  return requests.map((r, i) => {
    const admitted = totals[i] <= granted;
    const cost = Math.min(r.size, limit.burst);
    return {
      admitted,
      limit: limit.burst,
      remaining: Math.max(0, Math.floor(tokens)),
      resetSeconds: Math.max(0, resetSeconds),
      retryAfterSeconds: admitted ? 0 : Math.max(1, Math.ceil((cost - tokens) / limit.eventsPerSecond)),
    };
  });
}
