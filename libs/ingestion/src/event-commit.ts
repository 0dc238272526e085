import type { Pool, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { type RateRequest, type RateVerdict, rateTake, rateVerdicts } from './rate-gate';
import { type TokenLeases, leaseSize } from './token-leases';
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
 * A group's whole commit as ONE statement (one round trip, its own transaction): take the tokens of each
 * rate-limited source whose requests this process's lease does not cover (take_rate_tokens, sources in id
 * order so two processes lock buckets in the same order; none when the leases cover the group),
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
  const plan = planTakes(requestsBySource(events), leases);
  const rows = events.map((e, i) => eventRow(e, i, e.request ? plan.totals.get(e.request) : undefined, dedupeWindowMs));
  let result: CommitResult;
  try {
    [result] = await runPrepared<CommitResult>(em, COMMIT_SQL, [JSON.stringify(plan.takes), JSON.stringify(rows)]);
  } catch (error) {
    // The statement's own take rolled back with it; what the leases paid goes back to them.
    leases.refund(plan.local);
    throw error;
  }
  const verdicts = new Map<RateRequest, RateVerdict>();
  for (const take of result.takes) {
    const { requests, asked } = plan.remote.get(take.source_id) ?? { requests: [], asked: 0 };
    const granted = Number(take.granted);
    rateVerdicts(requests, Number(take.tokens), granted).forEach((v, k) => verdicts.set(requests[k], v));
    leases.keep(take.source_id, granted - asked);
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

interface TakePlan {
  /** take_rate_tokens' arguments, one per source the leases did not cover. */
  takes: { source_id: string; burst: number; rate: number; totals: number[] }[];
  /** Each bucket-judged request's running total (its row is stored when the take grants that much). */
  totals: Map<RateRequest, number>;
  /** Per source: the requests the bucket judges, and what they ask without the lease. */
  remote: Map<string, { requests: RateRequest[]; asked: number }>;
  /** Requests the leases paid for: admitted whatever the bucket holds. */
  local: RateRequest[];
}

/**
 * Per source: the oldest requests its lease covers are admitted here; the others are taken from the bucket,
 * with one more running total — the next lease — that is granted only when the bucket holds all of it.
 */
function planTakes(bySource: Map<string, RateRequest[]>, leases: TokenLeases): TakePlan {
  const plan: TakePlan = { takes: [], totals: new Map(), remote: new Map(), local: [] };
  for (const [sourceId, requests] of bySource) {
    const { local, remote } = leases.admit(requests);
    plan.local.push(...local);
    if (remote.length === 0) {
      continue;
    }
    const take = rateTake(remote);
    remote.forEach((r, k) => plan.totals.set(r, take.totals[k]));
    const asked = take.totals[take.totals.length - 1];
    const lease = leaseSize(take.limit);
    plan.remote.set(sourceId, { requests: remote, asked });
    plan.takes.push({
      source_id: sourceId,
      burst: take.limit.burst,
      rate: take.limit.eventsPerSecond,
      totals: lease > 0 ? [...take.totals, asked + lease] : take.totals,
    });
  }
  return plan;
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
 * Runs the statement as a named prepared statement on a pooled connection: planning this five-part statement
 * costs more than running it for a small group, and a prepared one is planned once per connection. Straight
 * on TypeORM's pg pool: a query runner (and the entity manager it builds) per group is measurable on the
 * hot path, and the statement needs neither.
 */
async function runPrepared<T extends QueryResultRow>(em: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const pool = (em.connection.driver as PostgresDriver).master as Pool;
  const { rows } = await pool.query<T>({ name: 'tributary_commit_events', text, values });
  return rows;
}
