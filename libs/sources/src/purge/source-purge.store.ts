import { perSourceTables } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export type PurgeStart = { purging: true } | { purging: false; reason: string };

export type PurgeBatch =
  { kind: 'deleted'; table: string; rows: number } | { kind: 'empty' } | { kind: 'refused'; reason: string };

interface SourceLifecycleRow {
  deleted_at: Date | null;
  purged_at: Date | null;
}

/** The purge's database side: every step re-checks, under the source row's lock, that the source is deleted. */
@Injectable()
export class SourcePurgeStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The point of no return: stamps `purged_at` when the source is still deleted. Runs under the row lock
   * that deleteSource and restoreSource take, so it sees their outcome and restore cannot race it.
   */
  async begin(sourceId: string): Promise<PurgeStart> {
    return this.db.transaction(async (em) => {
      const row = await lifecycleRow(em, sourceId, 'UPDATE');
      if (!row) {
        return { purging: false, reason: 'The source does not exist' };
      }
      if (!row.deleted_at) {
        return {
          purging: false,
          reason: 'The source is not deleted (restored during the grace period): nothing purged',
        };
      }
      if (!row.purged_at) {
        await em.query('UPDATE sources SET purged_at = now() WHERE id = $1', [sourceId]);
      }
      return { purging: true };
    });
  }

  /**
   * Deletes up to `limit` rows of the first registered per-source table that still holds rows of the
   * source. One transaction per batch: a retry resumes where the last committed batch stopped.
   */
  async deleteBatch(sourceId: string, limit: number): Promise<PurgeBatch> {
    return this.db.transaction(async (em) => {
      const row = await lifecycleRow(em, sourceId, 'SHARE');
      if (!row?.deleted_at || !row.purged_at) {
        return { kind: 'refused', reason: `Source ${sourceId} is not being purged (not deleted, or never begun)` };
      }
      for (const { table, sourceIdColumn } of perSourceTables()) {
        const [t, c] = [quoteIdent(table), quoteIdent(sourceIdColumn)];
        const [, rows] = await em.query<[unknown, number]>(
          // The source check again on the outer delete: a ctid is unique only within one partition, and
          // partitioned tables (events) have many.
          `DELETE FROM ${t} WHERE ${c} = $1 AND ctid = ANY(ARRAY(SELECT ctid FROM ${t} WHERE ${c} = $1 LIMIT $2))`,
          [sourceId, limit],
        );
        if (rows > 0) {
          return { kind: 'deleted', table, rows };
        }
      }
      return { kind: 'empty' };
    });
  }
}

async function lifecycleRow(
  em: EntityManager,
  sourceId: string,
  lock: 'UPDATE' | 'SHARE',
): Promise<SourceLifecycleRow | undefined> {
  const rows = await em.query<SourceLifecycleRow[]>(
    `SELECT deleted_at, purged_at FROM sources WHERE id = $1 FOR ${lock}`,
    [sourceId],
  );
  return rows[0];
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
