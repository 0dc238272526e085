import { Injectable } from '@nestjs/common';
import { EventStore, type SourceEvent, type StoreOutcome } from './event-store';
import { GroupCommit } from './group-commit';
import type { ItemResult } from './item-result';
import { MAX_BATCH_ITEMS } from './tracking-limits';
import type { NormalizeResult } from './tracking-message';

/** A commit carries at most this many events: a few full batches, so one commit stays short. */
const MAX_GROUP_EVENTS = 4 * MAX_BATCH_ITEMS;

/**
 * Stores a request's valid items through one group commit per process, and answers one result per item
 * (request order). Resolves only after the commit: the HTTP answer is the acknowledgement.
 */
@Injectable()
export class IngestionService {
  private readonly group: GroupCommit<SourceEvent, StoreOutcome>;

  constructor(store: EventStore) {
    this.group = new GroupCommit((events) => store.commit(events), MAX_GROUP_EVENTS);
  }

  async ingest(sourceId: string, items: NormalizeResult[]): Promise<ItemResult[]> {
    const valid = items.flatMap((item) => (item.ok ? [{ sourceId, event: item.event }] : []));
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
