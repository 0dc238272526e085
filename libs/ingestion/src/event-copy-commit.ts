import type { QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import {
  CANDIDATES_CTE,
  TAKES_CTE,
  type GatedEvent,
  type GatedOutcome,
  type TakeResult,
  gatedOutcomes,
  planTakes,
  totalFor,
} from './commit-plan';
import { COPY_EVENTS_SQL, eventCopyLine, isoTime } from './event-copy-text';
import { copyFrom, inTransaction, pgIntArray, pgTextArray } from './pg-session';
import type { TokenLeases } from './token-leases';

/**
 * The keys half of a large group's commit (event-copy-commit below), as one statement: the rate-limit takes
 * exactly as COMMIT_SQL (event-commit.ts) takes them, then the dedupe keys of the admitted requests' events
 * (first occurrence of each key, inserted in key order; ON CONFLICT: a key held within its window wins
 * nothing, one past its window is taken over), returning the winners' positions. Keys come as arrays
 * (unnest): no JSON to build or parse for what the COPY carries anyway.
 */
const KEYS_SQL = `
WITH ${TAKES_CTE},
rows AS MATERIALIZED (
  SELECT r.source_id, r.message_id, r.received_at, r.total, (r.n - 1)::int AS i
    FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::int[])
         WITH ORDINALITY AS r(source_id, message_id, received_at, total, n)
),
${CANDIDATES_CTE},
keys AS (
  INSERT INTO event_dedupe (source_id, message_id, received_at, expires_at)
  SELECT c.source_id, c.message_id, c.received_at, c.received_at + $6::float8 * interval '1 millisecond'
    FROM candidates c ORDER BY c.source_id, c.message_id
  ON CONFLICT (source_id, message_id) DO UPDATE
     SET received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at
   WHERE event_dedupe.expires_at <= EXCLUDED.received_at
  RETURNING source_id, message_id
)
SELECT (SELECT coalesce(jsonb_agg(t), '[]'::jsonb) FROM takes t) AS takes,
       (SELECT coalesce(array_agg(c.i ORDER BY c.i), '{}')
          FROM candidates c JOIN keys k ON k.source_id = c.source_id AND k.message_id = c.message_id) AS won`;

interface KeysResult extends QueryResultRow {
  takes: TakeResult[];
  won: number[];
}

/**
 * As commitGatedEvents (event-commit.ts), for large groups: in one transaction on one pooled connection,
 * the takes and dedupe keys by KEYS_SQL, then only the winners' events by COPY (text built straight from the
 * validated events), then COMMIT. Same outcomes; a failure (a missing partition, say) rolls back the takes
 * with the keys, and the leases get back what they paid.
 */
export async function copyGatedEvents(
  em: EntityManager,
  events: GatedEvent[],
  dedupeWindowMs: number,
  leases: TokenLeases,
): Promise<GatedOutcome[]> {
  const plan = planTakes(events, leases);
  const n = events.length;
  const sourceIds = new Array<string>(n);
  const messageIds = new Array<string>(n);
  const receivedAt = new Array<string>(n);
  const totals = new Array<number | null>(n);
  events.forEach((e, i) => {
    sourceIds[i] = e.sourceId;
    messageIds[i] = e.event.messageId;
    receivedAt[i] = isoTime(e.event, 'receivedAt')!;
    totals[i] = totalFor(plan, e);
  });
  let result: KeysResult;
  try {
    result = await inTransaction(em, async (client) => {
      const { rows } = await client.query<KeysResult>({
        name: 'tributary_commit_event_keys',
        text: KEYS_SQL,
        values: [
          JSON.stringify(plan.takes),
          pgTextArray(sourceIds),
          pgTextArray(messageIds),
          pgTextArray(receivedAt),
          pgIntArray(totals),
          dedupeWindowMs,
        ],
      });
      const [keys] = rows;
      if (keys.won.length > 0) {
        const text = keys.won.map((i) => eventCopyLine(events[i].sourceId, events[i].event)).join('');
        await copyFrom(client, COPY_EVENTS_SQL, Buffer.from(text));
      }
      return keys;
    });
  } catch (error) {
    leases.refund(plan.local);
    throw error;
  }
  return gatedOutcomes(events, plan, result.takes, result.won, leases);
}
