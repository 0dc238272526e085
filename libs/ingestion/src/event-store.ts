import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ensureEventPartitions, isMissingPartition } from './event-partitions';
import type { TrackingEvent } from './tracking-message';

export const DEFAULT_DEDUPE_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

export interface SourceEvent {
  sourceId: string;
  event: TrackingEvent;
}

export type StoreOutcome = 'accepted' | 'duplicate';

/**
 * Writes groups of events in one transaction: their dedupe keys first (ON CONFLICT: a key already held
 * within its window wins nothing, so a duplicate never aborts the group), then only the winners' events.
 * Two ingest processes inserting the same key serialise on its index entry: exactly one wins.
 */
@Injectable()
export class EventStore {
  private readonly windowMs = DEFAULT_DEDUPE_WINDOW_DAYS * DAY_MS;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One outcome per event, in order. Commits before returning. */
  async commit(events: SourceEvent[]): Promise<StoreOutcome[]> {
    try {
      return await this.db.transaction((em) => this.write(em, events));
    } catch (error) {
      if (!isMissingPartition(error)) {
        throw error;
      }
      // A day with no partition yet (maintenance is behind, or the clock crossed into an uncovered day).
      for (const at of new Set(events.map((e) => e.event.receivedAt.getTime()))) {
        await ensureEventPartitions(this.db.manager, new Date(at), 0);
      }
      return this.db.transaction((em) => this.write(em, events));
    }
  }

  private async write(em: EntityManager, events: SourceEvent[]): Promise<StoreOutcome[]> {
    // Within one group the first occurrence of a key is the candidate; ON CONFLICT cannot see a key twice.
    const firstIndex = new Map<string, number>();
    events.forEach((e, i) => {
      const key = dedupeKey(e.sourceId, e.event.messageId);
      if (!firstIndex.has(key)) {
        firstIndex.set(key, i);
      }
    });
    const candidates = [...firstIndex.values()].map((i) => events[i]);
    const won = await this.claimKeys(em, candidates);
    const winners = candidates.filter((e) => won.has(dedupeKey(e.sourceId, e.event.messageId)));
    await insertEvents(em, winners);
    return events.map((e, i) => {
      const key = dedupeKey(e.sourceId, e.event.messageId);
      return firstIndex.get(key) === i && won.has(key) ? 'accepted' : 'duplicate';
    });
  }

  /**
   * Inserts the keys; returns those this transaction now holds. A key past its window is taken over
   * (DO UPDATE … WHERE expired), so dedupe is exact to the window even before the expiry job runs.
   * Sorted, so two groups lock shared keys in the same order (no deadlock).
   */
  private async claimKeys(em: EntityManager, events: SourceEvent[]): Promise<Set<string>> {
    if (events.length === 0) {
      return new Set();
    }
    const keys = events.map(({ sourceId, event }) => ({
      source_id: sourceId,
      message_id: event.messageId,
      received_at: event.receivedAt.toISOString(),
      expires_at: new Date(event.receivedAt.getTime() + this.windowMs).toISOString(),
    }));
    const rows = await em.query<{ source_id: string; message_id: string }[]>(
      `INSERT INTO event_dedupe (source_id, message_id, received_at, expires_at)
       SELECT k.source_id, k.message_id, k.received_at, k.expires_at
         FROM jsonb_to_recordset($1::jsonb)
           AS k(source_id uuid, message_id text, received_at timestamptz, expires_at timestamptz)
        ORDER BY k.source_id, k.message_id
       ON CONFLICT (source_id, message_id) DO UPDATE
          SET received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at
        WHERE event_dedupe.expires_at <= EXCLUDED.received_at
       RETURNING source_id, message_id`,
      [JSON.stringify(keys)],
    );
    return new Set(rows.map((r) => dedupeKey(r.source_id, r.message_id)));
  }
}

async function insertEvents(em: EntityManager, events: SourceEvent[]): Promise<void> {
  if (events.length === 0) {
    return;
  }
  const rows = events.map(({ sourceId, event: e }) => ({
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
    payload: e.payload,
  }));
  await em.query(
    `INSERT INTO events (source_id, message_id, type, event, user_id, anonymous_id, group_id, previous_id,
                         traits, external_ids, timestamp, original_timestamp, sent_at, received_at, payload)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
       source_id uuid, message_id text, type text, event text, user_id text, anonymous_id text, group_id text,
       previous_id text, traits jsonb, external_ids jsonb, timestamp timestamptz, original_timestamp timestamptz,
       sent_at timestamptz, received_at timestamptz, payload jsonb)`,
    [JSON.stringify(rows)],
  );
}

function dedupeKey(sourceId: string, messageId: string): string {
  return `${sourceId}\u0000${messageId}`;
}
