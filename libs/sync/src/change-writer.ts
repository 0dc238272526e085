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

const CONTENT_HASH_SQL = `encode(sha256(convert_to(r.payload::text, 'UTF8')), 'hex')`;
// The incoming change (EXCLUDED) is newer than the change the stored row (x) holds: newest wins.
const NEWER_SQL = `x.version_at IS NULL OR (EXCLUDED.version_at, EXCLUDED.version_id) > (x.version_at, x.version_id)`;
const SAME_SQL = `x.content_hash = EXCLUDED.content_hash AND (x.deleted_at IS NULL) = (EXCLUDED.deleted_at IS NULL)`;

/**
 * Applies provider changes (events) to records, the newest first per row, each only when its version is
 * newer than the one the row holds: events read twice, late or out of order never roll a row back. A
 * delete is a soft delete; a delete of a row never held leaves a deleted row (a tombstone), so an older
 * event arriving later cannot bring it back. Rows a change writes keep their "seen" marker: a full
 * refresh alone decides what it saw. Changes at or before `replayedUpTo` (the lookback's overlap) that
 * change nothing are not counted. The caller holds the (source, object)'s lock or writes one row.
 */
export async function writeChanges(
  em: EntityManager,
  target: RecordTarget,
  changes: RecordChange[],
  replayedUpTo: ChangeVersion | null = null,
): Promise<ChangeCounts> {
  const newest = newestPerRecord(changes);
  const dropped = changes.length - newest.length;
  const droppedReplays = changes.filter((c) => !newest.includes(c) && isReplay(c.version, replayedUpTo)).length;
  const rows = newest.map((c) => ({
    id: c.externalId,
    payload: c.payload,
    deleted: c.deleted,
    version_at: c.version.at,
    version_id: c.version.id ?? '',
  }));
  const [counts] = await em.query<Record<'inserted' | 'updated' | 'deleted' | 'same' | 'stale' | 'replays', string>[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($4::jsonb)
         AS r(id varchar, payload jsonb, deleted boolean, version_at bigint, version_id varchar)
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
       RETURNING x.external_id, (xmax = 0) AS inserted, x.changed_at IS NOT DISTINCT FROM now() AS changed,
                 x.deleted_at IS NOT DISTINCT FROM now() AS deleted
     )
     SELECT count(*) FILTER (WHERE w.inserted AND NOT w.deleted) AS inserted,
            count(*) FILTER (WHERE NOT w.inserted AND w.changed AND NOT w.deleted) AS updated,
            count(*) FILTER (WHERE NOT w.inserted AND w.deleted) AS deleted,
            count(*) FILTER (WHERE (w.inserted AND w.deleted) OR NOT (w.inserted OR w.changed)) AS same,
            count(*) FILTER (WHERE w.external_id IS NULL AND NOT ${REPLAY_SQL}) AS stale,
            count(*) FILTER (WHERE w.external_id IS NULL AND ${REPLAY_SQL}) AS replays
       FROM input i LEFT JOIN written w ON w.external_id = i.id`,
    [
      target.sourceId,
      target.object,
      target.runId,
      JSON.stringify(rows),
      replayedUpTo?.at ?? null,
      replayedUpTo?.id ?? '',
    ],
  );
  const n = (key: keyof typeof counts): number => Number(counts[key]);
  return {
    read: changes.length - droppedReplays - n('replays'),
    inserted: n('inserted'),
    updated: n('updated'),
    deleted: n('deleted'),
    unchanged: n('same') + n('stale') + dropped - droppedReplays,
  };
}

// The input change is at or before the position the reading started from ($5, $6): a lookback replay.
const REPLAY_SQL = `($5::bigint IS NOT NULL AND (i.version_at, i.version_id COLLATE "C") <= ($5::bigint, $6::varchar COLLATE "C"))`;

/** One change per record, its newest (one statement cannot touch the same row twice). */
function newestPerRecord(changes: RecordChange[]): RecordChange[] {
  const byRecord = new Map<string, RecordChange>();
  for (const change of changes) {
    const held = byRecord.get(change.externalId);
    if (!held || compareVersions(change.version, held.version) > 0) {
      byRecord.set(change.externalId, change);
    }
  }
  return [...byRecord.values()];
}

function isReplay(version: ChangeVersion, upTo: ChangeVersion | null): boolean {
  return upTo !== null && compareVersions(version, upTo) <= 0;
}

/** Time first, then the id bytewise (as Postgres compares them under COLLATE "C"); no id sorts first. */
export function compareVersions(a: ChangeVersion, b: ChangeVersion): number {
  if (a.at !== b.at) {
    return a.at < b.at ? -1 : 1;
  }
  const [x, y] = [Buffer.from(a.id ?? ''), Buffer.from(b.id ?? '')];
  return Buffer.compare(x, y);
}
