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
import { runPrepared } from './pg-session';
import type { TokenLeases } from './token-leases';

/**
 * A group's whole commit as ONE statement (one round trip, its own transaction): take the tokens of each
 * rate-limited source whose requests this process's lease does not cover (take_rate_tokens, sources in id
 * order so two processes lock buckets in the same order; none when the leases cover the group),
 * keep the events of the admitted requests, the first occurrence of each key among them; insert their dedupe
 * keys (ON CONFLICT: a key held within its window wins nothing; one past its window is taken over), then the
 * winners' events. A failure (a missing partition, say) rolls back the token take with the rows, so a
 * retried group is never charged twice.
 */
const COMMIT_SQL = `
WITH ${TAKES_CTE},
rows AS MATERIALIZED (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(
    i int, total int, source_id uuid, message_id text, type text, event text, user_id text, anonymous_id text,
    group_id text, previous_id text, traits jsonb, external_ids jsonb, timestamp timestamptz,
    original_timestamp timestamptz, sent_at timestamptz, received_at timestamptz, expires_at timestamptz,
    payload jsonb, violations jsonb)
),
${CANDIDATES_CTE},
keys AS (
  INSERT INTO event_dedupe (source_id, message_id, received_at, expires_at)
  SELECT c.source_id, c.message_id, c.received_at, c.expires_at FROM candidates c ORDER BY c.source_id, c.message_id
  ON CONFLICT (source_id, message_id) DO UPDATE
     SET received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at
   WHERE event_dedupe.expires_at <= EXCLUDED.received_at
  RETURNING source_id, message_id
),
stored AS (
  INSERT INTO events (source_id, message_id, type, event, user_id, anonymous_id, group_id, previous_id,
                      traits, external_ids, timestamp, original_timestamp, sent_at, received_at, payload,
                      violations)
  SELECT c.source_id, c.message_id, c.type, c.event, c.user_id, c.anonymous_id, c.group_id, c.previous_id,
         c.traits, c.external_ids, c.timestamp, c.original_timestamp, c.sent_at, c.received_at, c.payload,
         c.violations
    FROM candidates c JOIN keys k ON k.source_id = c.source_id AND k.message_id = c.message_id
)
SELECT (SELECT coalesce(jsonb_agg(t), '[]'::jsonb) FROM takes t) AS takes,
       (SELECT coalesce(jsonb_agg(c.i), '[]'::jsonb)
          FROM candidates c JOIN keys k ON k.source_id = c.source_id AND k.message_id = c.message_id) AS won`;

/**
 * One outcome per event, in order; committed when it returns. A source's requests its lease in this process
 * pays for skip the bucket; the rest are judged by the bucket in the statement, which also takes the next
 * lease when the bucket holds it.
 */
export async function commitGatedEvents(
  em: EntityManager,
  events: GatedEvent[],
  dedupeWindowMs: number,
  leases: TokenLeases,
): Promise<GatedOutcome[]> {
  const plan = planTakes(events, leases);
  const rows = events.map((e, i) => eventRow(e, i, totalFor(plan, e), dedupeWindowMs));
  let result: CommitResult;
  try {
    [result] = await runPrepared<CommitResult>(em, 'tributary_commit_events', COMMIT_SQL, [
      JSON.stringify(plan.takes),
      JSON.stringify(rows),
    ]);
  } catch (error) {
    // The statement's own take rolled back with it; what the leases paid goes back to them.
    leases.refund(plan.local);
    throw error;
  }
  return gatedOutcomes(events, plan, result.takes, result.won, leases);
}

function eventRow(
  { sourceId, event: e }: GatedEvent,
  i: number,
  total: number | null,
  dedupeWindowMs: number,
): Record<string, unknown> {
  return {
    i,
    total,
    source_id: sourceId,
    message_id: e.messageId,
    type: e.type,
    event: e.event,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    group_id: e.groupId,
    previous_id: e.previousId,
    traits: e.traits,
    external_ids: e.externalIds,
    timestamp: e.timestamp.toISOString(),
    original_timestamp: e.originalTimestamp?.toISOString() ?? null,
    sent_at: e.sentAt?.toISOString() ?? null,
    received_at: e.receivedAt.toISOString(),
    expires_at: new Date(e.receivedAt.getTime() + dedupeWindowMs).toISOString(),
    payload: e.payload,
    violations: e.violations ?? null,
  };
}

interface CommitResult extends QueryResultRow {
  takes: TakeResult[];
  won: number[];
}
