import { Injectable } from '@nestjs/common';
import { EventStore, type SourceEvent, type StoreOutcome } from './event-store';
import { GroupCommit } from './group-commit';
import type { ItemResult } from './item-result';
import { RateGate, RateLimitedError, type RateRequest, type RateVerdict, type SourceRateLimit } from './rate-gate';
import { MAX_BATCH_ITEMS } from './tracking-limits';
import type { NormalizeResult } from './tracking-message';

/** A commit carries at most this many events: a few full batches, so one commit stays short. */
const MAX_GROUP_EVENTS = 4 * MAX_BATCH_ITEMS;
/** Requests one rate take may carry (one statement per source whatever the count). */
const MAX_GROUP_REQUESTS = 10_000;

/**
 * Stores a request's valid items through one group commit per process, and answers one result per item
 * (request order). Resolves only after the commit: the HTTP answer is the acknowledgement. With a rate
 * limit, the request first takes its events from the source's bucket through its own group (one statement
 * per source per group, pipelined with the event commits: the next take runs while events commit); a
 * request over the limit stores nothing and fails with RateLimitedError.
 */
@Injectable()
export class IngestionService {
  private readonly group: GroupCommit<SourceEvent, StoreOutcome>;
  private readonly rateTakes: GroupCommit<RateRequest, RateVerdict>;

  constructor(store: EventStore, gate: RateGate) {
    this.group = new GroupCommit((events) => store.commit(events), MAX_GROUP_EVENTS);
    this.rateTakes = new GroupCommit((requests) => gate.admit(requests), MAX_GROUP_REQUESTS);
  }

  async ingest(sourceId: string, items: NormalizeResult[], limit?: SourceRateLimit): Promise<ItemResult[]> {
    const valid = items.flatMap((item) => (item.ok ? [{ sourceId, event: item.event }] : []));
    if (limit && valid.length > 0) {
      const [verdict] = await this.rateTakes.submit([{ sourceId, limit, size: valid.length }]);
      if (!verdict.admitted) {
        throw new RateLimitedError(verdict);
      }
    }
    const outcomes = await this.group.submit(valid);
    let next = 0;
    return items.map((item): ItemResult => {
      if (!item.ok) {
        const { code, field, reason } = item;
        return { status: 'rejected', messageId: item.messageId ?? null, code, field, reason };
      }
      return { status: outcomes[next++], messageId: item.event.messageId };
    });
  }
}
