import type { ConcurrencySlots } from '@app/connectors';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How long a held slot lasts without renewal: a worker renews it on each call while its job runs. */
export const DEFAULT_LEASE_MS = 10 * 60_000;

/**
 * Slots of long-running provider jobs per account, in Postgres (`concurrency_leases`): at most `limit` live
 * leases per scope, across every worker process. Each take is one short transaction under a transaction-scoped
 * advisory lock on the scope, so two takers never both see the last free slot; time is Postgres' clock.
 */
@Injectable()
export class ConcurrencyLeases {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Takes or renews `lease` in `scope` for `leaseMs`, unless `limit` other live leases hold the scope. */
  async acquire(scope: string, lease: string, limit: number, leaseMs = DEFAULT_LEASE_MS): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`concurrency_leases:${scope}`]);
      await manager.query('DELETE FROM concurrency_leases WHERE scope = $1 AND expires_at <= clock_timestamp()', [
        scope,
      ]);
      const [row] = await manager.query<{ others: number; held: boolean }[]>(
        `SELECT count(*) FILTER (WHERE lease <> $2)::int AS others, coalesce(bool_or(lease = $2), false) AS held
           FROM concurrency_leases WHERE scope = $1`,
        [scope, lease],
      );
      if (!row.held && row.others >= limit) {
        return false;
      }
      await manager.query(
        `INSERT INTO concurrency_leases (scope, lease, expires_at)
         VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3::float8 / 1000))
         ON CONFLICT (scope, lease) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
        [scope, lease, leaseMs],
      );
      return true;
    });
  }

  async release(scope: string, lease: string): Promise<void> {
    await this.db.query('DELETE FROM concurrency_leases WHERE scope = $1 AND lease = $2', [scope, lease]);
  }

  /** The slots of `scope` as a connector sees them (core/concurrency-slots.ts). */
  slots(scope: string, limit: number, leaseMs = DEFAULT_LEASE_MS): ConcurrencySlots {
    return {
      acquire: (lease) => this.acquire(scope, lease, limit, leaseMs),
      release: (lease) => this.release(scope, lease),
    };
  }
}
