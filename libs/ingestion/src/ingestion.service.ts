import { Injectable } from '@nestjs/common';
import { EventStore, type SourceEvent, type StoreOutcome } from './event-store';
import { GroupCommit } from './group-commit';
import type { ItemResult } from './item-result';
import { RateGate, RateLimitedError, type RateVerdict, type SourceRateLimit } from './rate-gate';
import { MAX_BATCH_ITEMS } from './tracking-limits';
import type { NormalizeResult } from './tracking-message';

/** A commit carries at most this many events: a few full batches, so one commit stays short. */
const MAX_GROUP_EVENTS = 4 * MAX_BATCH_ITEMS;

/** The request an event came with: the group's rate take writes its verdict here for the request to read. */
interface RequestTag {
  sourceId: string;
  limit: SourceRateLimit | undefined;
  size: number;
  verdict?: RateVerdict;
}

type TaggedEvent = SourceEvent & { request: RequestTag };
type Outcome = StoreOutcome | 'rate_limited';

/**
 * Stores a request's valid items through one group commit per process, and answers one result per item
 * (request order). Resolves only after the commit: the HTTP answer is the acknowledgement. With a rate
 * limit, the group first takes the source's tokens (one statement per source per group): a request over
 * the limit stores nothing and fails with RateLimitedError.
 */
@Injectable()
export class IngestionService {
  private readonly group: GroupCommit<TaggedEvent, Outcome>;

  constructor(
    private readonly store: EventStore,
    private readonly gate: RateGate,
  ) {
    this.group = new GroupCommit((events) => this.commit(events), MAX_GROUP_EVENTS);
  }

  async ingest(sourceId: string, items: NormalizeResult[], limit?: SourceRateLimit): Promise<ItemResult[]> {
    const valid = items.flatMap((item) => (item.ok ? [item.event] : []));
    const request: RequestTag = { sourceId, limit, size: valid.length };
    const outcomes = await this.group.submit(valid.map((event) => ({ sourceId, event, request })));
    if (request.verdict && !request.verdict.admitted) {
      throw new RateLimitedError(request.verdict);
    }
    let next = 0;
    return items.map((item): ItemResult => {
      if (!item.ok) {
        const { code, field, reason } = item;
        return { status: 'rejected', messageId: item.messageId ?? null, code, field, reason };
      }
      return { status: outcomes[next++] as StoreOutcome, messageId: item.event.messageId };
    });
  }

  private async commit(events: TaggedEvent[]): Promise<Outcome[]> {
    const limited = [...new Set(events.map((e) => e.request))].filter((r) => r.limit !== undefined);
    if (limited.length > 0) {
      const verdicts = await this.gate.admit(limited.map((r) => ({ ...r, limit: r.limit as SourceRateLimit })));
      limited.forEach((r, i) => (r.verdict = verdicts[i]));
    }
    const admitted = events.filter((e) => e.request.verdict?.admitted !== false);
    const stored =
      admitted.length > 0 ? await this.store.commit(admitted.map(({ sourceId, event }) => ({ sourceId, event }))) : [];
    let next = 0;
    return events.map((e) => (e.request.verdict?.admitted === false ? 'rate_limited' : stored[next++]));
  }
}
