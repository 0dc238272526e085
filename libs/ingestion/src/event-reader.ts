import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeTimeIdCursor, encodeTimeIdCursor } from './time-id-cursor';

/** One stored event as a reader sees it (the identity columns, and the whole normalised message). */
export interface StoredEvent {
  id: string;
  messageId: string;
  type: string;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  timestamp: Date;
  receivedAt: Date;
  payload: Record<string, unknown>;
}

export interface EventPage {
  items: StoredEvent[];
  /** Where the next (older) page starts. */
  cursors: string[];
  hasNextPage: boolean;
}

interface EventRow {
  id: string;
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  timestamp: Date;
  received_at: Date;
  payload: Record<string, unknown>;
}

/**
 * Reads a source's events newest first, by keyset on (received_at, id): the order of the index, so a page
 * is one index range scan on the few partitions it touches, and a poll of the first page is cheap. The
 * caller has already checked that the source belongs to its workspace (ingestion does not know sources).
 */
@Injectable()
export class EventReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async newest(sourceId: string, first: number, after?: string | null): Promise<EventPage> {
    const position = after ? decodeTimeIdCursor('e', after, 'sourceEvents') : null;
    // `events.id`, not `id`: that would name the selected text column, and sort '10' before '9'.
    const rows = await this.db.query<EventRow[]>(
      `SELECT id::text, message_id, type, event, user_id, anonymous_id, timestamp, received_at, payload
         FROM events
        WHERE source_id = $1 AND ($2::timestamptz IS NULL OR (received_at, id) < ($2::timestamptz, $3::bigint))
        ORDER BY received_at DESC, events.id DESC
        LIMIT $4`,
      [sourceId, position?.receivedAt ?? null, position?.id ?? null, first + 1],
    );
    const items = rows.slice(0, first).map(toStoredEvent);
    return { items, cursors: items.map((e) => encodeTimeIdCursor('e', e)), hasNextPage: rows.length > first };
  }
}

function toStoredEvent(r: EventRow): StoredEvent {
  return {
    id: r.id,
    messageId: r.message_id,
    type: r.type,
    event: r.event,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    timestamp: r.timestamp,
    receivedAt: r.received_at,
    payload: r.payload,
  };
}
