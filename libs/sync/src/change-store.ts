import type { ChangeVersion, RecordChange } from '@app/connectors';
import { SyncMode, SyncRunEntity, SyncRunStatus } from '@app/database';
import type { DataSource, EntityManager } from 'typeorm';
import { type ChangeCounts, writeChanges } from './change-writer';

// Postgres side of incremental runs and webhook deliveries (the change log); SyncStore delegates here.

/** Where a run's (source, object) stands, as a batch needs it to choose its path. */
export interface RunState {
  mode: SyncMode;
  cursor: string | null;
  done: boolean;
  /** The saved change position (null: none). */
  position: ChangeVersion | null;
  /** Whether this run has recorded the change log's head yet. */
  headTaken: boolean;
}

/** Changes read in a row from `from`, committed together with the cursor `to` and the new position. */
export interface ChangeBatch {
  sourceId: string;
  object: string;
  syncRunId: string;
  from: string | null;
  to: { cursor: string | null; done: boolean };
  changes: RecordChange[];
  /** The newest change the pages covered; null when they held none. */
  position: ChangeVersion | null;
  pages: number;
}

interface StateRow {
  sync_run_id: string;
  cursor: string | null;
  done: boolean;
  position_id: string | null;
  position_at: string | null;
  head_id: string | null;
  head_at: string | null;
}

export function versionOf(at: string | number | null, id: string | null): ChangeVersion | null {
  return at === null ? null : { at: Number(at), id: id === '' ? null : id };
}

export async function runState(db: DataSource, syncRunId: string): Promise<RunState | null> {
  const [row] = await db.query<(StateRow & { mode: SyncMode })[]>(
    `SELECT r.mode, s.* FROM sync_runs r JOIN sync_state s ON s.source_id = r.source_id AND s.object = r.object
      WHERE r.id = $1 AND s.sync_run_id = r.id`,
    [syncRunId],
  );
  if (!row) {
    return null;
  }
  return {
    mode: row.mode,
    cursor: row.cursor,
    done: row.done,
    position: versionOf(row.position_at, row.position_id),
    headTaken: row.head_at !== null,
  };
}

/** Records the change log's head before the run reads (once per run: a retry keeps the first). */
export async function recordHead(db: DataSource, syncRunId: string, head: ChangeVersion): Promise<void> {
  await db.query(
    `UPDATE sync_state SET head_at = $2, head_id = $3, updated_at = now() WHERE sync_run_id = $1 AND head_at IS NULL`,
    [syncRunId, head.at, head.id ?? ''],
  );
}

/** An incremental run that cannot read on from its position becomes a full refresh, and says why. */
export async function fallBackToFullRefresh(db: DataSource, syncRunId: string, reason: string): Promise<void> {
  await db.transaction(async (em) => {
    const [, changed] = await em.query<[unknown, number]>(
      `UPDATE sync_runs SET mode = 'FULL_REFRESH', reason = $2 WHERE id = $1 AND mode = 'INCREMENTAL'`,
      [syncRunId, reason.slice(0, 500)],
    );
    if (changed > 0) {
      await em.query(
        `UPDATE sync_state SET cursor = NULL, done = false, head_at = NULL, head_id = NULL, updated_at = now()
          WHERE sync_run_id = $1`,
        [syncRunId],
      );
    }
  });
}

/**
 * Commits changes read from `from`: the rows, the cursor and the position move together with the run's
 * counts. Null when another attempt already committed from `from` (nothing is applied or counted twice).
 */
export async function applyChanges(db: DataSource, batch: ChangeBatch): Promise<ChangeCounts | null> {
  return db.transaction(async (em) => {
    const [state] = await em.query<StateRow[]>(
      'SELECT * FROM sync_state WHERE source_id = $1 AND object = $2 FOR UPDATE',
      [batch.sourceId, batch.object],
    );
    if (!state || state.sync_run_id !== batch.syncRunId || state.cursor !== batch.from || state.done) {
      return null;
    }
    const target = { sourceId: batch.sourceId, object: batch.object, runId: batch.syncRunId };
    const position = versionOf(state.position_at, state.position_id);
    const counts = await writeChanges(em, target, batch.changes, { ties: true, position });
    const next = later(position, batch.position);
    await em.query(
      `UPDATE sync_state SET cursor = $3, done = $4, position_at = $5, position_id = $6, updated_at = now()
        WHERE source_id = $1 AND object = $2`,
      [batch.sourceId, batch.object, batch.to.cursor, batch.to.done, next?.at ?? null, next ? (next.id ?? '') : null],
    );
    await addCounts(em, batch.syncRunId, counts, batch.pages);
    return counts;
  });
}

export interface WebhookRunInput {
  sourceId: string;
  object: string;
  workflowId: string;
  temporalRunId: string;
  eventId: string;
  changes: RecordChange[];
}

/**
 * Applies one delivered event's changes to one object and records them as a WEBHOOK run, in one
 * transaction: a retried activity finds its run recorded and applies nothing twice. Null then.
 */
export async function applyWebhookChanges(db: DataSource, input: WebhookRunInput): Promise<ChangeCounts | null> {
  return db.transaction(async (em) => {
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(SyncRunEntity)
      .values({
        sourceId: input.sourceId,
        object: input.object,
        mode: SyncMode.WEBHOOK,
        reason: `Webhook delivery of event ${input.eventId}`,
        status: SyncRunStatus.SUCCEEDED,
        workflowId: input.workflowId,
        temporalRunId: input.temporalRunId,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const runId = (inserted.raw as { id: string }[])[0]?.id;
    if (!runId) {
      return null;
    }
    // Two events of the same second are in no known order here: the events path settles ties.
    const target = { sourceId: input.sourceId, object: input.object, runId };
    const counts = await writeChanges(em, target, input.changes, { ties: false, position: null });
    await addCounts(em, runId, counts, 1);
    await em.query('UPDATE sync_runs SET finished_at = now() WHERE id = $1', [runId]);
    return counts;
  });
}

/**
 * Ends an incremental run: the position moves to the head recorded before it read, when that is newer
 * (changes of other objects' types move it on too, so a quiet object does not age past the horizon).
 */
export async function finishIncremental(em: EntityManager, syncRunId: string): Promise<void> {
  const [state] = await em.query<StateRow[]>('SELECT * FROM sync_state WHERE sync_run_id = $1 FOR UPDATE', [syncRunId]);
  if (!state) {
    return;
  }
  const next = later(versionOf(state.head_at, state.head_id), versionOf(state.position_at, state.position_id));
  await em.query(
    `UPDATE sync_state SET position_at = $2, position_id = $3, head_at = NULL, head_id = NULL, updated_at = now()
      WHERE sync_run_id = $1`,
    [syncRunId, next?.at ?? null, next ? (next.id ?? '') : null],
  );
}

/** Ends a full refresh: the head recorded before listing becomes the position (none without a change log). */
export async function finishFullRefresh(em: EntityManager, syncRunId: string): Promise<void> {
  await em.query(
    `UPDATE sync_state SET position_at = head_at, position_id = head_id, head_at = NULL, head_id = NULL,
       updated_at = now() WHERE sync_run_id = $1`,
    [syncRunId],
  );
}

async function addCounts(em: EntityManager, syncRunId: string, counts: ChangeCounts, pages: number): Promise<void> {
  await em.query(
    `UPDATE sync_runs SET records_read = records_read + $2, records_inserted = records_inserted + $3,
       records_updated = records_updated + $4, records_unchanged = records_unchanged + $5,
       records_deleted = records_deleted + $6, pages = pages + $7, last_progress_at = now() WHERE id = $1`,
    [syncRunId, counts.read, counts.inserted, counts.updated, counts.unchanged, counts.deleted, pages],
  );
}

/** The later of two positions by time; `candidate` on a tie (it was read after `current`). */
function later(current: ChangeVersion | null, candidate: ChangeVersion | null): ChangeVersion | null {
  if (!current || !candidate) {
    return candidate ?? current;
  }
  return candidate.at >= current.at ? candidate : current;
}
