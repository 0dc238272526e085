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
 * order, and hashing costs the worker nothing. Migration RecordHashFromJsonb re-hashed older rows this way.
 */
const CONTENT_HASH_SQL = `encode(sha256(convert_to(r.payload::text, 'UTF8')), 'hex')`;

/** Where a batch of rows goes: the (source, object) and the run that sees them. */
export interface RecordTarget {
  sourceId: string;
  object: string;
  runId: string;
}

/**
 * Writes a batch of records in one statement: a row whose content hash is unchanged only has its "seen"
 * marker moved (its payload is not rewritten); new rows are inserted and changed or deleted ones replaced.
 * The caller holds the (source, object)'s sync_state lock, so no other writer touches these rows meanwhile.
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
    `WITH incoming AS (
       SELECT r.id, r.payload, ${CONTENT_HASH_SQL} AS hash
         FROM jsonb_to_recordset($4::jsonb) AS r(id varchar, payload jsonb)
     ), seen AS (
       UPDATE records r SET last_seen_at = now(), seen_run_id = $3
         FROM incoming i
        WHERE r.source_id = $1 AND r.object = $2 AND r.external_id = i.id
          AND r.content_hash = i.hash AND r.deleted_at IS NULL
       RETURNING r.external_id
     ), written AS (
       INSERT INTO records (source_id, object, external_id, payload, content_hash, first_seen_at, last_seen_at,
                            seen_run_id, deleted_at)
       SELECT $1, $2, i.id, i.payload, i.hash, now(), now(), $3, NULL
         FROM incoming i WHERE NOT EXISTS (SELECT 1 FROM seen s WHERE s.external_id = i.id)
       ON CONFLICT (source_id, object, external_id) DO UPDATE SET payload = EXCLUDED.payload,
         content_hash = EXCLUDED.content_hash, last_seen_at = now(), seen_run_id = EXCLUDED.seen_run_id,
         deleted_at = NULL
       -- xmax is 0 only on a freshly inserted row version: it tells inserts from updates in one pass.
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
            (SELECT count(*) FROM seen) AS unchanged
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
