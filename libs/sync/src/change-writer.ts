import type { ChangeVersion, RecordChange } from '@app/connectors';
import type { EntityManager } from 'typeorm';
import type { RecordTarget } from './record-writer';

export interface ChangeCounts {
  /** Changes read, less the lookback's replays of changes already applied. */
  read: number;
  inserted: number;
  updated: number;
  /** Changes that left their row as it was: older than the row's version, or the same content. */
  unchanged: number;
  /** Live rows a change deleted (soft delete). */
  deleted: number;
}

export interface ChangeOrder {
  /**
   * Whether a change of the same second as the row's (another event) applies. Provider times have one-second
   * steps and event ids carry no order, so only a reader that applies changes in the log's own order (the
   * events path) may let the later one win; a webhook delivery leaves ties to it.
   */
  ties: boolean;
  /** Where the reading started (the saved position): changes up to it are the lookback's replays. */
  position: ChangeVersion | null;
}

const CONTENT_HASH_SQL = `encode(sha256(convert_to(r.payload::text, 'UTF8')), 'hex')`;
// The incoming change (EXCLUDED) is newer than the change the stored row (x) holds: newest wins.
const NEWER_SQL = `x.version_at IS NULL OR EXCLUDED.version_at > x.version_at
  OR ($5::boolean AND EXCLUDED.version_at = x.version_at AND EXCLUDED.version_id <> x.version_id)`;
const SAME_SQL = `x.content_hash = EXCLUDED.content_hash AND (x.deleted_at IS NULL) = (EXCLUDED.deleted_at IS NULL)`;

/**
 * Applies provider changes (events, oldest first) to records, the last one per row, each only when newer
 * than the change the row holds (see ChangeOrder.ties): events read twice, late or out of order never
 * roll a row back. A delete is a soft delete; a delete of a row never held leaves a deleted row (a
 * tombstone), so an older event arriving later cannot bring it back. Rows a change writes keep their
 * "seen" marker: a full refresh alone decides what it saw. Replays that change nothing are not counted.
 */
export async function writeChanges(
  em: EntityManager,
  target: RecordTarget,
  changes: RecordChange[],
  order: ChangeOrder,
): Promise<ChangeCounts> {
  const replays = replaysOf(changes, order.position);
  const kept = lastPerRecord(changes);
  const dropped = changes.length - kept.length;
  const droppedReplays = changes.filter((c, i) => !kept.includes(c) && replays[i]).length;
  const rows = kept.map((c) => ({
    id: c.externalId,
    payload: c.payload,
    deleted: c.deleted,
    replay: replays[changes.indexOf(c)],
    version_at: c.version.at,
    version_id: c.version.id ?? '',
  }));
  const [counts] = await em.query<Record<'inserted' | 'updated' | 'deleted' | 'same' | 'noops', string>[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($4::jsonb)
         AS r(id varchar, payload jsonb, deleted boolean, replay boolean, version_at bigint, version_id varchar)
     ), written AS (
       INSERT INTO records AS x (source_id, object, external_id, payload, content_hash, first_seen_at,
                                 last_seen_at, changed_at, seen_run_id, deleted_at, version_at, version_id)
       SELECT $1, $2, r.id, r.payload, ${CONTENT_HASH_SQL}, now(), now(), now(), $3,
              CASE WHEN r.deleted THEN now() END, r.version_at, r.version_id COLLATE "C"
         FROM input r
       ON CONFLICT (source_id, object, external_id) DO UPDATE SET
         payload = CASE WHEN ${SAME_SQL} THEN x.payload ELSE EXCLUDED.payload END,
         changed_at = CASE WHEN ${SAME_SQL} THEN x.changed_at ELSE now() END,
         content_hash = EXCLUDED.content_hash,
         -- now() only for a row this change deleted (a row deleted before keeps its time).
         deleted_at = CASE WHEN EXCLUDED.deleted_at IS NULL THEN NULL ELSE coalesce(x.deleted_at, now()) END,
         version_at = EXCLUDED.version_at, version_id = EXCLUDED.version_id, last_seen_at = now()
       WHERE ${NEWER_SQL}
       -- deleted_at keeps milliseconds: compared with now() as the column stores it.
       RETURNING x.external_id, (xmax = 0) AS inserted, x.changed_at IS NOT DISTINCT FROM now() AS changed,
                 x.deleted_at IS NOT DISTINCT FROM now()::timestamptz(3) AS deleted
     ), outcome AS (
       SELECT i.replay, w.external_id IS NOT NULL AS written, w.inserted, w.changed, w.deleted
         FROM input i LEFT JOIN written w ON w.external_id = i.id
     )
     SELECT count(*) FILTER (WHERE written AND inserted AND NOT deleted) AS inserted,
            count(*) FILTER (WHERE written AND NOT inserted AND changed AND NOT deleted) AS updated,
            count(*) FILTER (WHERE written AND NOT inserted AND deleted) AS deleted,
            -- Read but without effect: older than the row, the same content, or a tombstone.
            count(*) FILTER (WHERE NOT replay AND NOT (written AND NOT (inserted AND deleted) AND (inserted OR changed))) AS same,
            count(*) FILTER (WHERE replay AND NOT (written AND NOT (inserted AND deleted) AND (inserted OR changed))) AS noops
       FROM outcome`,
    [target.sourceId, target.object, target.runId, JSON.stringify(rows), order.ties],
  );
  const n = (key: keyof typeof counts): number => Number(counts[key]);
  return {
    read: changes.length - droppedReplays - n('noops'),
    inserted: n('inserted'),
    updated: n('updated'),
    deleted: n('deleted'),
    unchanged: n('same') + dropped - droppedReplays,
  };
}

/** The last change per record in the log's order (one statement cannot touch the same row twice). */
function lastPerRecord(changes: RecordChange[]): RecordChange[] {
  const byRecord = new Map<string, RecordChange>();
  for (const change of changes) {
    const held = byRecord.get(change.externalId);
    if (!held || change.version.at >= held.version.at) {
      byRecord.set(change.externalId, change);
    }
  }
  return [...byRecord.values()];
}

/**
 * Which changes the lookback reads again: those of earlier seconds than the position, and those of its
 * second up to the position's own change (the log's order); without it in sight, none of that second.
 */
function replaysOf(changes: RecordChange[], position: ChangeVersion | null): boolean[] {
  if (!position) {
    return changes.map(() => false);
  }
  const last = position.id === null ? -1 : changes.findIndex((c) => c.version.id === position.id);
  return changes.map((c, i) => c.version.at < position.at || (c.version.at === position.at && i <= last));
}
