import type { ChangeVersion } from '@app/connectors';
import { SyncMode, SyncRunStatus } from '@app/database';
import type { DataSource } from 'typeorm';
import { versionOf } from './change-store';

// Postgres side of drift (drift.ts): which rows a full refresh's listing wrote or will mark deleted, and
// where the drift is stored. Reads only; the run's rows are as the listing committed them.

/**
 * Rows of the run's (source, object) that the listing did not see and that finishRun marks deleted: rows a
 * change of the listing's head second or later wrote (a webhook meanwhile) are the change log's to delete.
 * `r` is records, `s` its sync_state row, $3 the run id.
 */
export const UNSEEN_ROWS_SQL = `r.deleted_at IS NULL AND r.seen_run_id <> $3
  AND (s.head_at IS NULL OR r.version_at IS NULL OR r.version_at < s.head_at
       OR (r.version_at = s.head_at AND r.version_id = ''))`;

/** What a drift measure starts from: null when the run cannot measure it (not a full refresh taking over). */
export interface DriftBasis {
  sourceId: string;
  object: string;
  /** The saved change position the incremental runs had reached; null: none (first sync, no change log). */
  position: ChangeVersion | null;
}

/** Drift of full refreshes, for drift.ts (SyncStore.drift). */
export class DriftStore {
  constructor(private readonly db: DataSource) {}

  basis(syncRunId: string): Promise<DriftBasis | null> {
    return driftBasis(this.db, syncRunId);
  }

  listingChanges(basis: DriftBasis, syncRunId: string): Promise<string[]> {
    return listingChanges(this.db, basis, syncRunId);
  }

  record(syncRunId: string, drift: number | null, why?: string): Promise<void> {
    return recordDrift(this.db, syncRunId, drift, why);
  }
}

async function driftBasis(db: DataSource, syncRunId: string): Promise<DriftBasis | null> {
  const [row] = await db.query<
    {
      source_id: string;
      object: string;
      mode: SyncMode;
      status: SyncRunStatus;
      position_at: string | null;
      position_id: string | null;
    }[]
  >(
    `SELECT r.source_id, r.object, r.mode, r.status, s.position_at, s.position_id
       FROM sync_runs r JOIN sync_state s ON s.source_id = r.source_id AND s.object = r.object AND s.sync_run_id = r.id
      WHERE r.id = $1`,
    [syncRunId],
  );
  if (!row || row.mode !== SyncMode.FULL_REFRESH || row.status !== SyncRunStatus.RUNNING) {
    return null;
  }
  return { sourceId: row.source_id, object: row.object, position: versionOf(row.position_at, row.position_id) };
}

/**
 * Ids of the rows the listing inserted or changed, and of those finishRun will mark deleted. A listing writes
 * every row it sees with the change id '' (record-writer.ts; a change writes its event id), and moves
 * `changed_at` only when the content differs: so the rows it changed are those seen by this run, of version
 * id '', changed since the first run after the last successful one started (this run, or a failed run it
 * continued: their listings count as one). Runs of one object never overlap, so the last successful run's
 * own changes are older than that.
 */
async function listingChanges(db: DataSource, basis: DriftBasis, syncRunId: string): Promise<string[]> {
  const rows = await db.query<{ external_id: string }[]>(
    `WITH run AS (SELECT id, source_id, object, started_at FROM sync_runs WHERE id = $3),
          runs AS (SELECT p.status, p.started_at FROM sync_runs p, run
                    WHERE p.source_id = run.source_id AND p.object = run.object AND p.mode <> 'WEBHOOK'
                      AND p.started_at <= run.started_at),
          since AS (SELECT min(started_at) AS at FROM runs
                     WHERE started_at > coalesce((SELECT max(started_at) FROM runs WHERE status = 'SUCCEEDED'),
                                                 '-infinity'))
     SELECT r.external_id FROM records r, sync_state s, run
      WHERE s.source_id = $1 AND s.object = $2 AND r.source_id = $1 AND r.object = $2 AND s.sync_run_id = run.id
        AND ((r.seen_run_id = run.id AND r.deleted_at IS NULL AND r.version_id = ''
              AND r.changed_at >= (SELECT at FROM since))
             OR (${UNSEEN_ROWS_SQL}))`,
    [basis.sourceId, basis.object, syncRunId],
  );
  return rows.map((r) => r.external_id);
}

/** Stores the run's drift (null: not measured, `why` appended to its reason once). Only while the run runs. */
async function recordDrift(db: DataSource, syncRunId: string, drift: number | null, why?: string): Promise<void> {
  await db.query(
    `UPDATE sync_runs SET drift = $2,
        reason = CASE WHEN $3::text IS NULL OR strpos(coalesce(reason, ''), $3::text) > 0 THEN reason
                      ELSE left(concat_ws('; ', reason, $3::text), 500) END
      WHERE id = $1 AND status = 'RUNNING'`,
    [syncRunId, drift, why ?? null],
  );
}
