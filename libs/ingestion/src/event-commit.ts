import type { ClientBase as PgClient, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import { type RateRequest, type RateVerdict, rateTake, rateVerdicts } from './rate-gate';
import type { TrackingEvent } from './tracking-message';

/** An event to store, with the request it came in (a request over its source's rate limit stores nothing). */
export interface GatedEvent {
  sourceId: string;
  event: TrackingEvent;
  /** The same object for every event of one request; absent when the source has no rate limit. */
  request?: RateRequest;
}

export type GatedOutcome = { status: 'accepted' | 'duplicate' } | { status: 'rate_limited'; verdict: RateVerdict };

/**
 * A group's whole commit as ONE statement (one round trip, its own transaction): take each rate-limited
 * source's tokens (take_rate_tokens, sources in id order so two processes lock buckets in the same order),
 * keep the events of the admitted requests, the first occurrence of each key among them; insert their dedupe
 * keys (ON CONFLICT: a key held within its window wins nothing; one past its window is taken over), then the
 * winners' events. A failure (a missing partition, say) rolls back the token take with the rows, so a
 * retried group is never charged twice.
 */
const COMMIT_SQL = `
WITH takes AS MATERIALIZED (
  SELECT s.source_id, t.tokens, t.granted
    FROM (SELECT * FROM jsonb_to_recordset($1::jsonb)
            AS s(source_id uuid, burst float8, rate float8, totals int[]) ORDER BY source_id) s
   CROSS JOIN LATERAL take_rate_tokens(s.source_id, s.burst, s.rate, s.totals) t
),
rows AS MATERIALIZED (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(
    i int, total int, source_id uuid, message_id text, type text, event text, user_id text, anonymous_id text,
    group_id text, previous_id text, traits jsonb, external_ids jsonb, timestamp timestamptz,
    original_timestamp timestamptz, sent_at timestamptz, received_at timestamptz, expires_at timestamptz,
    payload jsonb)
),
candidates AS MATERIALIZED (
  SELECT DISTINCT ON (r.source_id, r.message_id) r.*
    FROM rows r LEFT JOIN takes t ON t.source_id = r.source_id
   WHERE r.total IS NULL OR r.total <= t.granted
   ORDER BY r.source_id, r.message_id, r.i
),
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
                      traits, external_ids, timestamp, original_timestamp, sent_at, received_at, payload)
  SELECT c.source_id, c.message_id, c.type, c.event, c.user_id, c.anonymous_id, c.group_id, c.previous_id,
         c.traits, c.external_ids, c.timestamp, c.original_timestamp, c.sent_at, c.received_at, c.payload
    FROM candidates c JOIN keys k ON k.source_id = c.source_id AND k.message_id = c.message_id
)
SELECT (SELECT coalesce(jsonb_agg(t), '[]'::jsonb) FROM takes t) AS takes,
       (SELECT coalesce(jsonb_agg(c.i), '[]'::jsonb)
          FROM candidates c JOIN keys k ON k.source_id = c.source_id AND k.message_id = c.message_id) AS won`;

/** One outcome per event, in order; committed when it returns. */
export async function commitGatedEvents(
  em: EntityManager,
  events: GatedEvent[],
  dedupeWindowMs: number,
): Promise<GatedOutcome[]> {
  const bySource = requestsBySource(events);
  const totals = new Map<RateRequest, number>();
  const takes = [...bySource.values()].map((requests) => {
    const take = rateTake(requests);
    requests.forEach((r, k) => totals.set(r, take.totals[k]));
    return { source_id: take.sourceId, burst: take.limit.burst, rate: take.limit.eventsPerSecond, totals: take.totals };
  });
  const rows = events.map((e, i) => eventRow(e, i, e.request ? totals.get(e.request) : undefined, dedupeWindowMs));
  const [result] = await runPrepared<CommitResult>(em, COMMIT_SQL, [JSON.stringify(takes), JSON.stringify(rows)]);
  const verdicts = new Map<RateRequest, RateVerdict>();
  for (const take of result.takes) {
    const requests = bySource.get(take.source_id) ?? [];
    rateVerdicts(requests, Number(take.tokens), Number(take.granted)).forEach((v, k) => verdicts.set(requests[k], v));
  }
  const won = new Set(result.won);
  return events.map((e, i): GatedOutcome => {
    const verdict = e.request ? verdicts.get(e.request) : undefined;
    if (verdict && !verdict.admitted) {
      return { status: 'rate_limited', verdict };
    }
    return { status: won.has(i) ? 'accepted' : 'duplicate' };
  });
}

/** The group's distinct requests per rate-limited source, in submission order. */
function requestsBySource(events: GatedEvent[]): Map<string, RateRequest[]> {
  const seen = new Set<RateRequest>();
  const bySource = new Map<string, RateRequest[]>();
  for (const { request } of events) {
    if (request && !seen.has(request)) {
      seen.add(request);
      bySource.set(request.sourceId, [...(bySource.get(request.sourceId) ?? []), request]);
    }
  }
  return bySource;
}

function eventRow(
  { sourceId, event: e }: GatedEvent,
  i: number,
  total: number | undefined,
  dedupeWindowMs: number,
): Record<string, unknown> {
  return {
    i,
    total: total ?? null,
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
  };
}

interface CommitResult extends QueryResultRow {
  takes: { source_id: string; tokens: number; granted: number }[];
  won: number[];
}

/**
 * Runs the statement as a named prepared statement on the connection: planning this five-part statement
 * costs more than running it for a small group, and a prepared one is planned once per connection.
 */
async function runPrepared<T extends QueryResultRow>(em: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const runner = em.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    const { rows } = await client.query<T>({ name: 'tributary_commit_events', text, values });
    return rows;
  } finally {
    await runner.release();
  }
}
