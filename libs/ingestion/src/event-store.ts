import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { GatedEvent, GatedOutcome } from './commit-plan';
import { commitGatedEvents } from './event-commit';
import { copyGatedEvents } from './event-copy-commit';
import { ensureEventPartitions, isMissingPartition } from './event-partitions';
import { TokenLeases } from './token-leases';
import type { TrackingEvent } from './tracking-message';

export const DEFAULT_DEDUPE_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;
/**
 * Groups of at least this many events (one full batch of B2's) take the COPY path (event-copy-commit.ts);
 * smaller ones the single statement (event-commit.ts): one round trip, best for single events. Measured
 * on Postgres alone, two groups in flight (CPU per 100 events, JS + Postgres backends, medians of five on a
 * loaded 2-core machine): at 50 events 1.3 + 4.6 ms by the statement, 2.0 + 4.0 by COPY; at 100, 1.0 + 4.2
 * and 1.6 + 3.3 (even in events/s); at 150, 0.7 + 4.7 and 0.9 + 3.1; at 200, 1.5 + 5.3 and 1.3 + 3.4.
 */
export const COPY_MIN_EVENTS = 100;

export interface SourceEvent {
  sourceId: string;
  event: TrackingEvent;
}

export type StoreOutcome = 'accepted' | 'duplicate';

/**
 * Writes groups of events, each group in one transaction: the rate-limited sources' token takes, their
 * dedupe keys (ON CONFLICT: a key already held within its window wins nothing, so a duplicate never aborts
 * the group), then only the winners' events — in one statement for small groups (event-commit.ts), by COPY
 * for large ones (event-copy-commit.ts). Two ingest processes inserting the same key serialise on its index
 * entry: exactly one wins.
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

  /** As commit, with the rate limits of the events' requests taken in the same transaction. */
  async commitGated(events: GatedEvent[]): Promise<GatedOutcome[]> {
    if (events.length === 0) {
      return [];
    }
    const write = events.length >= COPY_MIN_EVENTS ? copyGatedEvents : commitGatedEvents;
    try {
      return await write(this.db.manager, events, this.windowMs, this.leases);
    } catch (error) {
      if (!isMissingPartition(error)) {
        throw error;
      }
      // A day with no partition yet (maintenance is behind, or the clock crossed into an uncovered day).
      for (const at of new Set(events.map((e) => e.event.receivedAt.getTime()))) {
        await ensureEventPartitions(this.db.manager, new Date(at), 0);
      }
      return write(this.db.manager, events, this.windowMs, this.leases);
    }
  }
}
