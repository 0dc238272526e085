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

/** One take_rate_tokens call's arguments: a source the leases did not cover. */
export interface TakeArgs {
  source_id: string;
  burst: number;
  rate: number;
  totals: number[];
}

/** What a commit's take_rate_tokens calls answered, one per TakeArgs. */
export interface TakeResult {
  source_id: string;
  tokens: number | string;
  granted: number | string;
}

/** How a group's rate-limited requests are paid for; both commit paths (event-commit.ts, event-copy-commit.ts) share it. */
export interface TakePlan {
  /** take_rate_tokens' arguments, one per source the leases did not cover (the SQL sorts them by id). */
  takes: TakeArgs[];
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
export function planTakes(events: GatedEvent[], leases: TokenLeases): TakePlan {
  const plan: TakePlan = { takes: [], totals: new Map(), remote: new Map(), local: [] };
  for (const [sourceId, requests] of requestsBySource(events)) {
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

/** The running total an event's row needs granted, or null when its request is not judged by a bucket. */
export function totalFor(plan: TakePlan, event: GatedEvent): number | null {
  return event.request ? (plan.totals.get(event.request) ?? null) : null;
}

/**
 * One outcome per event, in order, from what the commit's takes answered and which events won their key;
 * the leases keep what the takes granted beyond the requests.
 */
export function gatedOutcomes(
  events: GatedEvent[],
  plan: TakePlan,
  takes: TakeResult[],
  won: Iterable<number>,
  leases: TokenLeases,
): GatedOutcome[] {
  const verdicts = new Map<RateRequest, RateVerdict>();
  for (const take of takes) {
    const { requests, asked } = plan.remote.get(take.source_id) ?? { requests: [], asked: 0 };
    const granted = Number(take.granted);
    rateVerdicts(requests, Number(take.tokens), granted).forEach((v, k) => verdicts.set(requests[k], v));
    leases.keep(take.source_id, granted - asked);
  }
  const winners = new Set(won);
  return events.map((e, i): GatedOutcome => {
    const verdict = e.request ? verdicts.get(e.request) : undefined;
    if (verdict && !verdict.admitted) {
      return { status: 'rate_limited', verdict };
    }
    return { status: winners.has(i) ? 'accepted' : 'duplicate' };
  });
}

/** The group's distinct requests per rate-limited source, in submission order. */
function requestsBySource(events: GatedEvent[]): Map<string, RateRequest[]> {
  const seen = new Set<RateRequest>();
  const bySource = new Map<string, RateRequest[]>();
  for (const { request } of events) {
    if (request && !seen.has(request)) {
      seen.add(request);
      const list = bySource.get(request.sourceId);
      if (list) {
        list.push(request);
      } else {
        bySource.set(request.sourceId, [request]);
      }
    }
  }
  return bySource;
}

/**
 * The rate-limit takes of a group's commit, as SQL (both commit paths open with it): take_rate_tokens for each
 * source the leases did not cover ($1, planTakes' takes as JSON), sources in id order so two processes lock
 * buckets in the same order.
 */
export const TAKES_CTE = `takes AS MATERIALIZED (
  SELECT s.source_id, t.tokens, t.granted
    FROM (SELECT * FROM jsonb_to_recordset($1::jsonb)
            AS s(source_id uuid, burst float8, rate float8, totals int[]) ORDER BY source_id) s
   CROSS JOIN LATERAL take_rate_tokens(s.source_id, s.burst, s.rate, s.totals) t
)`;

/** The rows of admitted requests (their running total granted), the first occurrence of each key among them. */
export const CANDIDATES_CTE = `candidates AS MATERIALIZED (
  SELECT DISTINCT ON (r.source_id, r.message_id) r.*
    FROM rows r LEFT JOIN takes t ON t.source_id = r.source_id
   WHERE r.total IS NULL OR r.total <= t.granted
   ORDER BY r.source_id, r.message_id, r.i
)`;
