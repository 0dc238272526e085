import { Injectable } from '@nestjs/common';
import type { GatedEvent, GatedOutcome } from './commit-plan';
import { EventStore } from './event-store';
import { GroupCommit } from './group-commit';
import { IngestionLog } from './ingestion-log';
import type { ItemResult } from './item-result';
import type { CompiledPlan, PlanViolation } from './plan-check';
import { type HeldEvent, QuarantineStore } from './quarantine/quarantine-store';
import { RateGate, RateLimitedError, type RateRequest, type RateVerdict, type SourceRateLimit } from './rate-gate';
import { MAX_BATCH_ITEMS } from './tracking-limits';
import type { NormalizeResult, TrackingEvent } from './tracking-message';

/** Why a whole request was refused (its code may be a request-level one, e.g. invalid_batch). */
export interface RefusedMessage {
  messageId: string | null;
  code: string;
  field: string;
  reason: string;
}

/** What an event without a plan breaks: one shared empty list, not one per event on the hot path (only a
 * non-empty list is ever stored). */
const NO_VIOLATIONS: PlanViolation[] = [];

/** A commit carries at most this many events: a few full batches, so one commit stays short. */
const MAX_GROUP_EVENTS = 4 * MAX_BATCH_ITEMS;
/**
 * Two group commits may run at once: the next group's statement starts while the last one is in Postgres,
 * so parsing and writing overlap (B2 measured ~15% more events/s than with one). Safe as two processes
 * are: dedupe keys and bucket rows are locked in sorted order by each statement.
 */
const COMMITS_IN_FLIGHT = 2;

/**
 * Stores a request's valid items through one group commit per process, and answers one result per item
 * (request order). Resolves only after the commit: the HTTP answer is the acknowledgement. With a rate
 * limit, the request's events are taken from the source's bucket in the same statement as the group's
 * rows (no round trip of its own on the request path); a request over the limit stores nothing and fails
 * with RateLimitedError. With a FLAG or BLOCK tracking plan, each valid item is checked against the
 * compiled plan first: FLAG stores violating events with their violations, BLOCK quarantines them (one
 * insert of the request's blocked events, committed before the answer; no dedupe key taken). Every answer
 * is counted in the ingestion log (ingestion-log.ts), in memory.
 */
@Injectable()
export class IngestionService {
  private readonly group: GroupCommit<GatedEvent, GatedOutcome>;

  constructor(
    store: EventStore,
    private readonly quarantine: QuarantineStore,
    private readonly log: IngestionLog,
    private readonly gate: RateGate,
  ) {
    this.group = new GroupCommit((events) => store.commitGated(events), MAX_GROUP_EVENTS, COMMITS_IN_FLIGHT);
  }

  /** `raw`: the items as sent (same order), kept truncated with the rejected ones. */
  async ingest(
    sourceId: string,
    items: NormalizeResult[],
    limit?: SourceRateLimit,
    plan?: CompiledPlan | null,
    raw?: readonly unknown[],
  ): Promise<ItemResult[]> {
    // Without a plan (ALLOW) nothing below looks at it: no per-event work beyond the commit.
    const held: (HeldEvent | undefined)[] = [];
    const valid: TrackingEvent[] = [];
    items.forEach((item, i) => {
      if (!item.ok) {
        return;
      }
      const violations = plan ? plan.check(item.event) : NO_VIOLATIONS;
      if (violations.length === 0) {
        valid.push(item.event);
      } else if (plan?.mode === 'FLAG') {
        valid.push({ ...item.event, violations });
      } else {
        held[i] = { event: item.event, violations };
      }
    });
    const blocked = held.filter((h): h is HeldEvent => h !== undefined);
    // Blocked events count against the limit too.
    const size = valid.length + blocked.length;
    const request: RateRequest | undefined = limit ? { sourceId, limit, size } : undefined;
    const outcomes = await this.group.submit(valid.map((event) => ({ sourceId, event, request })));
    const verdict = await this.rateVerdict(outcomes, request, valid.length === 0 && blocked.length > 0);
    if (verdict && !verdict.admitted) {
      // The whole request was answered 429: each of its items counts as rate-limited.
      this.log.pending.add(sourceId, 'rate_limited', new Date(), items.length);
      throw new RateLimitedError(verdict);
    }
    if (plan && blocked.length > 0) {
      await this.quarantine.hold(sourceId, plan.version, blocked);
    }
    let next = 0;
    const results = items.map((item, i): ItemResult => {
      if (!item.ok) {
        const { code, field, reason } = item;
        return { status: 'rejected', messageId: item.messageId ?? null, code, field, reason };
      }
      const hold = held[i];
      if (hold) {
        const [first] = hold.violations;
        const reason = hold.violations.map((v) => v.reason).join('; ');
        return {
          status: 'quarantined',
          messageId: item.event.messageId,
          code: 'plan_violation',
          field: first.field,
          reason,
        };
      }
      const outcome = outcomes[next++];
      return { status: outcome.status === 'accepted' ? 'accepted' : 'duplicate', messageId: item.event.messageId };
    });
    this.log.pending.addResults(sourceId, results, new Date(), raw);
    return results;
  }

  /**
   * The request's rate verdict: its group commit's, or, when all its events were blocked (nothing of it
   * joined a group), a take of its own, so that a sender of nothing but violations cannot fill the
   * quarantine without limit. Undefined without a rate limit.
   */
  private async rateVerdict(
    outcomes: GatedOutcome[],
    request: RateRequest | undefined,
    allBlocked: boolean,
  ): Promise<RateVerdict | undefined> {
    const limited = outcomes.find((o) => o.status === 'rate_limited');
    if (limited?.status === 'rate_limited') {
      return limited.verdict;
    }
    return request && allBlocked ? (await this.gate.admit([request]))[0] : undefined;
  }

  /** A request refused whole before storage (a single call's invalid event, a batch's shape): one rejection. */
  recordRefusal(sourceId: string, rejection: RefusedMessage, raw: unknown): void {
    const at = new Date();
    this.log.pending.add(sourceId, 'rejected', at, 1);
    this.log.pending.keepRejection(sourceId, at, rejection, raw);
  }
}
