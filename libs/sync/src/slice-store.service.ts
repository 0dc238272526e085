import { invariant } from '@app/common';
import type { CreatedWindow, MappedRecord } from '@app/connectors';
import { DataSource } from 'typeorm';
import { versionOf } from './change-store';
import { type PageCounts, writeRecords } from './record-writer';

/** One `created` window of a sliced run, and how far it got. */
export interface SyncSlice {
  id: string;
  index: number;
  window: CreatedWindow;
  cursor: string | null;
  done: boolean;
  pages: number;
  recordsRead: number;
}

/** Pages of one slice read in a row from `from`, committed together; `to` is where the slice stands after. */
export interface SlicePageBatch {
  sliceId: string;
  syncRunId: string;
  from: string | null;
  to: { cursor: string | null; done: boolean };
  records: MappedRecord[];
  pages: number;
}

interface SliceRow {
  id: string;
  index: number;
  created_gte: string | null;
  created_lt: string | null;
  cursor: string | null;
  done: boolean;
  pages: number;
  records_read: number;
}

const SLICE_COLUMNS = 'id, index, created_gte, created_lt, cursor, done, pages, records_read';

/**
 * Postgres side of a sliced first sync (sync_slices): each window's cursor is committed with its rows and
 * the run's counts, like sync_state for one listing, so every slice resumes on its own after a lost worker.
 * Windows never overlap (`created` never changes), so slices write disjoint rows and only meet on the run's
 * counts row, updated last in each transaction. Reached through SyncStore.slices.
 */
export class SliceStore {
  constructor(private readonly db: DataSource) {}

  /** The run's slices, in window order (none when the run is not sliced, or not planned yet). */
  async slicesOf(syncRunId: string): Promise<SyncSlice[]> {
    const rows = await this.db.query<SliceRow[]>(
      `SELECT ${SLICE_COLUMNS} FROM sync_slices WHERE sync_run_id = $1 ORDER BY index`,
      [syncRunId],
    );
    return rows.map(toSlice);
  }

  /** The slices of many runs at once (GraphQL pages of runs), keyed by run. */
  async slicesOfRuns(syncRunIds: string[]): Promise<Map<string, SyncSlice[]>> {
    const rows = syncRunIds.length
      ? await this.db.query<(SliceRow & { sync_run_id: string })[]>(
          `SELECT sync_run_id, ${SLICE_COLUMNS} FROM sync_slices WHERE sync_run_id = ANY($1) ORDER BY index`,
          [syncRunIds],
        )
      : [];
    const byRun = new Map<string, SyncSlice[]>(syncRunIds.map((id) => [id, []]));
    rows.forEach((row) => byRun.get(row.sync_run_id)?.push(toSlice(row)));
    return byRun;
  }

  /**
   * Whether the run reads the whole listing of a (source, object) that never completed a sync, from its
   * start: only such a first sync is sliced (a run that took over a cursor goes on with it).
   */
  async isFirstSync(sourceId: string, object: string, syncRunId: string): Promise<boolean> {
    // As run-plan.ts decides a first sync (a webhook run before it does not count), for a full refresh.
    const [row] = await this.db.query<{ first: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM sync_state WHERE source_id = $1 AND object = $2 AND sync_run_id = $3
                        AND cursor IS NULL AND NOT done)
          AND EXISTS (SELECT 1 FROM sync_runs WHERE id = $3 AND mode = 'FULL_REFRESH')
          AND NOT EXISTS (SELECT 1 FROM sync_runs WHERE source_id = $1 AND object = $2 AND status = 'SUCCEEDED'
                            AND mode <> 'WEBHOOK')
          AND NOT EXISTS (SELECT 1 FROM records WHERE source_id = $1 AND object = $2 AND seen_run_id = $3)
          AS first`,
      [sourceId, object, syncRunId],
    );
    return row.first;
  }

  /** Records the run's windows; idempotent (a retried plan finds the first one's slices). */
  async plan(sourceId: string, syncRunId: string, windows: CreatedWindow[]): Promise<SyncSlice[]> {
    await this.db.transaction(async (em) => {
      for (const [index, window] of windows.entries()) {
        await em.query(
          `INSERT INTO sync_slices (source_id, sync_run_id, index, created_gte, created_lt) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (sync_run_id, index) DO NOTHING`,
          [sourceId, syncRunId, index, window.gte, window.lt],
        );
      }
    });
    return this.slicesOf(syncRunId);
  }

  async slice(sliceId: string, syncRunId: string): Promise<SyncSlice> {
    const [row] = await this.db.query<SliceRow[]>(
      `SELECT ${SLICE_COLUMNS} FROM sync_slices WHERE id = $1 AND sync_run_id = $2`,
      [sliceId, syncRunId],
    );
    invariant(row, `sync slice ${sliceId} does not belong to run ${syncRunId}`);
    return toSlice(row);
  }

  /**
   * Commits a slice's pages read from `from` and moves its cursor to `to`, atomically with the rows and the
   * run's counts. Returns null when another attempt already committed from `from`: nothing is counted twice.
   */
  async applyPages(batch: SlicePageBatch): Promise<PageCounts | null> {
    return this.db.transaction(async (em) => {
      const [slice] = await em.query<
        {
          cursor: string | null;
          done: boolean;
          source_id: string;
          object: string;
          head_at: string | null;
          head_id: string | null;
        }[]
      >(
        `SELECT s.cursor, s.done, s.source_id, r.object, st.head_at, st.head_id
           FROM sync_slices s JOIN sync_runs r ON r.id = s.sync_run_id
           JOIN sync_state st ON st.sync_run_id = r.id AND st.source_id = r.source_id AND st.object = r.object
          WHERE s.id = $1 AND s.sync_run_id = $2 AND r.status = 'RUNNING' FOR UPDATE OF s`,
        [batch.sliceId, batch.syncRunId],
      );
      if (!slice || slice.cursor !== batch.from || slice.done) {
        return null;
      }
      const target = { sourceId: slice.source_id, object: slice.object, runId: batch.syncRunId };
      // The listing's snapshot is as of the change log's head, recorded before the windows were planned.
      const counts = await writeRecords(em, target, batch.records, versionOf(slice.head_at, slice.head_id));
      await em.query(
        `UPDATE sync_slices SET cursor = $2, done = $3, pages = pages + $4, records_read = records_read + $5,
           updated_at = now() WHERE id = $1`,
        [batch.sliceId, batch.to.cursor, batch.to.done, batch.pages, counts.read],
      );
      // Last, so concurrent slices wait on the run's row only for the end of each other's commit.
      await em.query(
        `UPDATE sync_runs SET records_read = records_read + $2, records_inserted = records_inserted + $3,
           records_updated = records_updated + $4, records_unchanged = records_unchanged + $5,
           pages = pages + $6, last_progress_at = now() WHERE id = $1`,
        [batch.syncRunId, counts.read, counts.inserted, counts.updated, counts.unchanged, batch.pages],
      );
      return counts;
    });
  }

  /** The slice's cursor vanished at the provider: the window is listed again from its start. */
  async restart(sliceId: string, syncRunId: string): Promise<void> {
    await this.db.query(
      'UPDATE sync_slices SET cursor = NULL, done = false, updated_at = now() WHERE id = $1 AND sync_run_id = $2',
      [sliceId, syncRunId],
    );
  }
}

function toSlice(row: SliceRow): SyncSlice {
  return {
    id: row.id,
    index: row.index,
    // bigint columns arrive as strings; seconds since the epoch fit a number.
    window: {
      gte: row.created_gte === null ? null : Number(row.created_gte),
      lt: row.created_lt === null ? null : Number(row.created_lt),
    },
    cursor: row.cursor,
    done: row.done,
    pages: row.pages,
    recordsRead: row.records_read,
  };
}
