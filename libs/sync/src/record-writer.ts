import type { MappedRecord } from '@app/connectors';
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
 * with this transaction's `now()`, by which RETURNING tells them apart. The caller holds the (source,
 * object)'s sync_state lock, so no other writer touches these rows meanwhile.
 */
export async function writeRecords(
  em: EntityManager,
  target: RecordTarget,
  records: MappedRecord[],
): Promise<PageCounts> {
  // One row per id (the last one wins): one statement cannot touch the same row twice.
  const unique = [...new Map(records.map((r) => [r.externalId, r])).values()];
  const rows = unique.map((r) => ({ id: r.externalId, payload: r.payload }));
  const [counts] = await em.query<{ inserted: string; updated: string; unchanged: string }[]>(
    `WITH written AS (
       INSERT INTO records AS x (source_id, object, external_id, payload, content_hash, first_seen_at,
                                 last_seen_at, changed_at, seen_run_id, deleted_at)
       SELECT $1, $2, r.id, r.payload, ${CONTENT_HASH_SQL}, now(), now(), now(), $3, NULL
         FROM jsonb_to_recordset($4::jsonb) AS r(id varchar, payload jsonb)
       ON CONFLICT (source_id, object, external_id) DO UPDATE SET
         payload = CASE WHEN ${UNCHANGED_SQL} THEN x.payload ELSE EXCLUDED.payload END,
         changed_at = CASE WHEN ${UNCHANGED_SQL} THEN x.changed_at ELSE now() END,
         content_hash = EXCLUDED.content_hash, last_seen_at = now(), seen_run_id = EXCLUDED.seen_run_id,
         deleted_at = NULL
       -- xmax is 0 only on a freshly inserted row version.
       RETURNING (xmax = 0) AS inserted, x.changed_at IS NOT DISTINCT FROM now() AS changed
     )
     SELECT count(*) FILTER (WHERE inserted) AS inserted,
            count(*) FILTER (WHERE NOT inserted AND changed) AS updated,
            count(*) FILTER (WHERE NOT inserted AND NOT changed) AS unchanged
       FROM written`,
    [target.sourceId, target.object, target.runId, JSON.stringify(rows)],
  );
  return {
    read: records.length,
    inserted: Number(counts.inserted),
    updated: Number(counts.updated),
    unchanged: Number(counts.unchanged),
  };
}
