import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type GatedEvent, type GatedOutcome, commitGatedEvents } from './event-commit';
import { ensureEventPartitions, isMissingPartition } from './event-partitions';
import { TokenLeases } from './token-leases';
import type { TrackingEvent } from './tracking-message';

export const DEFAULT_DEDUPE_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

export interface SourceEvent {
  sourceId: string;
  event: TrackingEvent;
}

export type StoreOutcome = 'accepted' | 'duplicate';

/**
 * Writes groups of events, each group in one statement (event-commit.ts): the rate-limited sources' token
 * takes, their dedupe keys (ON CONFLICT: a key already held within its window wins nothing, so a duplicate
 * never aborts the group), then only the winners' events. Two ingest processes inserting the same key
 * serialise on its index entry: exactly one wins.
 */
@Injectable()
export class EventStore {
  private readonly windowMs = DEFAULT_DEDUPE_WINDOW_DAYS * DAY_MS;
  /** This process's leases on the sources' buckets (token-leases.ts). */
  readonly leases = new TokenLeases();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One outcome per event, in order. Commits before returning. */
  async commit(events: SourceEvent[]): Promise<StoreOutcome[]> {
    const outcomes = await this.commitGated(events);
    return outcomes.map((o) => (o.status === 'accepted' ? 'accepted' : 'duplicate'));
  }

  /** As commit, with the rate limits of the events' requests taken in the same statement. */
  async commitGated(events: GatedEvent[]): Promise<GatedOutcome[]> {
    if (events.length === 0) {
      return [];
    }
    try {
      return await commitGatedEvents(this.db.manager, events, this.windowMs, this.leases);
    } catch (error) {
      if (!isMissingPartition(error)) {
        throw error;
      }
      // A day with no partition yet (maintenance is behind, or the clock crossed into an uncovered day).
      for (const at of new Set(events.map((e) => e.event.receivedAt.getTime()))) {
        await ensureEventPartitions(this.db.manager, new Date(at), 0);
      }
      return commitGatedEvents(this.db.manager, events, this.windowMs, this.leases);
    }
  }
}
