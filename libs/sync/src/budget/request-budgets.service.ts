import type { BudgetSettlement, RequestRate } from '@app/connectors';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { intervalMs, penalise } from './token-bucket';

interface BucketRow {
  full_at_ms: string | null;
  now_ms: string;
}

/**
 * The token buckets of provider accounts, in Postgres (`request_budgets`): every worker process and every
 * source on an account share one row. Each change is one short transaction holding the row's lock, and
 * time is Postgres' clock, the one clock all workers share.
 */
@Injectable()
export class RequestBudgets {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Reserves the next request of `account`: how long the caller waits before sending it (ms). One
   * statement (it sits before every request a sync sends): token-bucket.ts `reserve`, in SQL. The clock
   * is read inside the update, after the row lock: a taker that waited for the lock must not count from
   * the time it arrived, or the bucket would refill behind its back.
   */
  reserve(account: string, rate: RequestRate, cost = 1): Promise<number> {
    return this.reserveAll([{ account, rate }], cost);
  }

  /**
   * Reserves the next request in each of `buckets` (an account's own and its further limits, in a fixed
   * order so concurrent takers lock rows alike) in one statement: the caller waits for the longest. A request
   * of `cost` takes that many tokens from each (token-bucket.ts `reserve`).
   */
  async reserveAll(buckets: readonly { account: string; rate: RequestRate }[], cost = 1): Promise<number> {
    const params: unknown[] = [];
    const takes = buckets.map(({ account, rate }, i) => {
      const interval = intervalMs(rate);
      params.push(account, cost * interval, rate.burst * interval);
      const [key, step, lead] = [params.length - 2, params.length - 1, params.length].map((n) => `$${n}`);
      return `t${i} AS (
         INSERT INTO request_budgets AS b (account, full_at)
         VALUES (${key}, clock_timestamp() + make_interval(secs => ${step}::float8 / 1000))
         ON CONFLICT (account) DO UPDATE
           SET full_at = greatest(coalesce(b.full_at, '-infinity'), clock_timestamp()) + make_interval(secs => ${step}::float8 / 1000)
         RETURNING greatest(0, extract(epoch FROM b.full_at - clock_timestamp()) * 1000 - ${lead}::float8) AS wait_ms)`;
    });
    const waits = buckets.map((_, i) => `(SELECT wait_ms FROM t${i})`).join(', ');
    const [row] = await this.db.query<{ wait_ms: string }[]>(
      `WITH ${takes.join(',\n')} SELECT greatest(${waits}) AS wait_ms`,
      params,
    );
    return Number(row.wait_ms);
  }

  /**
   * Settles a request after its answer in each of `buckets` (those it took from, in the same order): gives back
   * `refund` points, never above a bucket's size, and caps the account's own bucket (the first) at the
   * `available` points the provider reported. One statement: token-bucket.ts `settle`, in SQL, on Postgres'
   * clock under the row's lock, so concurrent takers in other processes see it whole or not at all.
   */
  async settle(
    buckets: readonly { account: string; rate: RequestRate }[],
    { refund, available }: BudgetSettlement,
  ): Promise<void> {
    const params: unknown[] = [];
    const updates = buckets.map(({ account, rate }, i) => {
      const interval = intervalMs(rate);
      // greatest() skips NULL: no report, no cap (and a bucket never used is full already).
      const cap = i === 0 && available !== undefined ? (rate.burst - Math.max(0, available)) * interval : null;
      params.push(account, Math.max(0, refund) * interval, cap);
      const [key, back, ahead] = [params.length - 2, params.length - 1, params.length].map((n) => `$${n}`);
      return `s${i} AS (
         UPDATE request_budgets AS b
            SET full_at = greatest(
              b.full_at - make_interval(secs => ${back}::float8 / 1000),
              clock_timestamp(),
              clock_timestamp() + make_interval(secs => ${ahead}::float8 / 1000))
          WHERE b.account = ${key}
         RETURNING 1)`;
    });
    if (updates.length > 0) {
      await this.db.query(`WITH ${updates.join(',\n')} SELECT 1`, params);
    }
  }

  /** The provider throttled `account`: no request of any source on it goes for `holdMs`. */
  async throttled(account: string, rate: RequestRate, holdMs: number): Promise<void> {
    await this.change(account, (fullAtMs, nowMs) => penalise(fullAtMs, nowMs, rate, holdMs));
  }

  private async change(account: string, next: (fullAtMs: number | null, nowMs: number) => number): Promise<void> {
    await this.db.transaction(async (manager) => {
      // The upsert creates the row on first use and locks it until the transaction ends.
      const [row] = await manager.query<BucketRow[]>(
        `INSERT INTO request_budgets (account) VALUES ($1)
         ON CONFLICT (account) DO UPDATE SET account = EXCLUDED.account
         RETURNING extract(epoch FROM full_at) * 1000 AS full_at_ms,
                   extract(epoch FROM clock_timestamp()) * 1000 AS now_ms`,
        [account],
      );
      const fullAtMs = next(row.full_at_ms === null ? null : Number(row.full_at_ms), Number(row.now_ms));
      await manager.query('UPDATE request_budgets SET full_at = to_timestamp($2::float8 / 1000) WHERE account = $1', [
        account,
        fullAtMs,
      ]);
    });
  }
}
