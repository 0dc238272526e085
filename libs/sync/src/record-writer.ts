import type { ChangeVersion, MappedRecord } from '@app/connectors';
import type { EntityManager } from 'typeorm';

export interface PageCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * A payload's content hash, computed by Postgres from the jsonb value: jsonb's text form is canonical
 * (keys ordered, no duplicates, fixed spacing), so equal payloads hash equally whatever the provider's key
 * order, and hashing costs the worker nothing. Migration RecordChanges re-hashed older rows this way.
 */
const CONTENT_HASH_SQL = `encode(sha256(convert_to(r.payload::text, 'UTF8')), 'hex')`;
// The stored row (x) against the incoming one (EXCLUDED): same content, and not deleted.
const UNCHANGED_SQL = 'x.content_hash = EXCLUDED.content_hash AND x.deleted_at IS NULL';
// The stored row holds a change of a later second than the listing's version (an event applied meanwhile):
// the listing only marks it seen. A listing snapshot is at least as new as the change log's head when the
// listing began (its version), so an event older than that, arriving later, cannot roll the row back.
const HOLDS_NEWER_SQL = `(EXCLUDED.version_at IS NOT NULL AND x.version_at IS NOT NULL
  AND x.version_at > EXCLUDED.version_at)`;
const KEEP_SQL = `((${UNCHANGED_SQL}) OR ${HOLDS_NEWER_SQL})`;

/** Where a batch of rows goes: the (source, object) and the run that sees them. */
export interface RecordTarget {
  sourceId: string;
  object: string;
  runId: string;
}

/**
 * Writes a batch of records in one INSERT … ON CONFLICT: each row is found through the primary key (the
 * conflict arbiter), whatever the planner believes about the table, which a first sync fills faster
 * than statistics follow. A row whose content hash is unchanged keeps its payload and `changed_at` and
 * only has its "seen" marker moved; new rows are inserted, changed or deleted ones replaced and stamped
 * with this transaction's `now()`, by which RETURNING tells them apart. `version` (see HOLDS_NEWER_SQL) is
 * the change-log head the listing started from, when the connector has a change log. The caller holds the
 * (source, object)'s sync_state lock against other runs; a webhook's change meanwhile waits on the row.
 */
export async function writeRecords(
  em: EntityManager,
  target: RecordTarget,
  records: MappedRecord[],
  version: ChangeVersion | null = null,
): Promise<PageCounts> {
  // One row per id (the last one wins): one statement cannot touch the same row twice.
  const unique = [...new Map(records.map((r) => [r.externalId, r])).values()];
  const rows = unique.map((r) => ({ id: r.externalId, payload: r.payload }));
  const [counts] = await em.query<{ inserted: string; updated: string; unchanged: string }[]>(
    `WITH written AS (
       INSERT INTO records AS x (source_id, object, external_id, payload, content_hash, first_seen_at,
                                 last_seen_at, changed_at, seen_run_id, deleted_at, version_at, version_id)
       SELECT $1, $2, r.id, r.payload, ${CONTENT_HASH_SQL}, now(), now(), now(), $3, NULL, $5::bigint,
              $6::varchar COLLATE "C"
         FROM jsonb_to_recordset($4::jsonb) AS r(id varchar, payload jsonb)
       ON CONFLICT (source_id, object, external_id) DO UPDATE SET
         payload = CASE WHEN ${KEEP_SQL} THEN x.payload ELSE EXCLUDED.payload END,
         changed_at = CASE WHEN ${KEEP_SQL} THEN x.changed_at ELSE now() END,
         content_hash = CASE WHEN ${HOLDS_NEWER_SQL} THEN x.content_hash ELSE EXCLUDED.content_hash END,
         last_seen_at = now(), seen_run_id = EXCLUDED.seen_run_id,
         deleted_at = CASE WHEN ${HOLDS_NEWER_SQL} THEN x.deleted_at ELSE NULL END,
         version_at = CASE WHEN ${HOLDS_NEWER_SQL} THEN x.version_at ELSE coalesce(EXCLUDED.version_at, x.version_at) END,
         version_id = CASE WHEN ${HOLDS_NEWER_SQL} THEN x.version_id ELSE coalesce(EXCLUDED.version_id, x.version_id) END
       -- xmax is 0 only on a freshly inserted row version.
       RETURNING (xmax = 0) AS inserted, x.changed_at IS NOT DISTINCT FROM now() AS changed
     )
     SELECT count(*) FILTER (WHERE inserted) AS inserted,
            count(*) FILTER (WHERE NOT inserted AND changed) AS updated,
            count(*) FILTER (WHERE NOT inserted AND NOT changed) AS unchanged
       FROM written`,
    [
      target.sourceId,
      target.object,
      target.runId,
      JSON.stringify(rows),
      version?.at ?? null,
      // A snapshot's version has no change id: a change of the head's second tells itself apart by its id.
      version ? '' : null,
    ],
  );
  return {
    read: records.length,
    inserted: Number(counts.inserted),
    updated: Number(counts.updated),
    unchanged: Number(counts.unchanged),
  };
}
