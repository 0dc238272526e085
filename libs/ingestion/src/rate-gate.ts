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

// One statement per source per group commit. The refill and the take read the row version the UPDATE
// locked (READ COMMITTED re-evaluates the SET list on the newest version after waiting), so two ingest
// processes taking from one bucket serialise on its row and never both spend the same tokens. Requests are
// admitted in order while their running total fits (a prefix: fair to the oldest). now() is the statement
// start: after waiting for the other process it can be before updated_at, so elapsed time is floored at 0
// and updated_at never moves back (the wait is simply not refilled: conservative by microseconds).
const AVAILABLE = `LEAST($2::float8, tokens + $3::float8 * GREATEST(0, EXTRACT(EPOCH FROM now() - updated_at)))`;
const GRANT = `(SELECT COALESCE(MAX(total), 0)::int FROM (
    SELECT SUM(n) OVER (ORDER BY o) AS total FROM unnest($4::int[]) WITH ORDINALITY AS s(n, o)) AS t
  WHERE total <= ${AVAILABLE})`;
const TAKE = `UPDATE source_rate_buckets
     SET granted = ${GRANT}, tokens = ${AVAILABLE} - ${GRANT}, updated_at = GREATEST(updated_at, now())
   WHERE source_id = $1
  RETURNING tokens, granted`;

/**
 * Per-source rate limits shared by every ingest process through one bucket row per source in Postgres,
 * taken once per source per group commit (not per event). A request costs its valid events, capped at the
 * burst so that a batch larger than the burst still passes when the bucket is full.
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
    // The newest settings the group saw (requests of one group resolve the same source within moments).
    const { sourceId, limit } = requests[requests.length - 1];
    const costs = requests.map((r) => Math.min(r.size, limit.burst));
    const args = [sourceId, limit.burst, limit.eventsPerSecond, costs];
    let [bucket] = await this.update(args);
    if (!bucket) {
      // First request of this source (or its bucket was purged): a full bucket.
      await this.db.query(
        `INSERT INTO source_rate_buckets (source_id, tokens) VALUES ($1, $2) ON CONFLICT (source_id) DO NOTHING`,
        [sourceId, limit.burst],
      );
      [bucket] = await this.update(args);
    }
    const tokens = Number(bucket.tokens);
    const resetSeconds = Math.ceil((limit.burst - tokens) / limit.eventsPerSecond);
    let total = 0;
    return costs.map((cost) => {
      total += cost;
      const admitted = total <= bucket.granted;
      return {
        admitted,
        limit: limit.burst,
        remaining: Math.max(0, Math.floor(tokens)),
        resetSeconds: Math.max(0, resetSeconds),
        retryAfterSeconds: admitted ? 0 : Math.max(1, Math.ceil((cost - tokens) / limit.eventsPerSecond)),
      };
    });
  }

  private async update(args: unknown[]): Promise<{ tokens: number | string; granted: number }[]> {
    // TypeORM's raw UPDATE answers [rows, affected count].
    const [rows] = await this.db.query<[{ tokens: number | string; granted: number }[], number]>(TAKE, args);
    return rows;
  }
}
