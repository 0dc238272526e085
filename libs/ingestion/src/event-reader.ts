import { DomainException } from '@app/common';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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
    const position = after ? decodeEventCursor(after) : null;
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
    return { items, cursors: items.map(encodeEventCursor), hasNextPage: rows.length > first };
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

// An ISO timestamp and the event's bigint id: a different shape from the uuid cursors of other connections.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BIGINT = /^[1-9]\d{0,18}$/;

export function encodeEventCursor(e: Pick<StoredEvent, 'receivedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([e.receivedAt.toISOString(), e.id])).toString('base64url');
}

/** Checks each part as Postgres will read it, so a forged cursor is INVALID_INPUT, never a database error. */
export function decodeEventCursor(cursor: string): { receivedAt: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'string' &&
    ISO_TIMESTAMP.test(parsed[0]) &&
    !Number.isNaN(Date.parse(parsed[0])) &&
    typeof parsed[1] === 'string' &&
    BIGINT.test(parsed[1]) &&
    BigInt(parsed[1]) <= 9223372036854775807n
  ) {
    return { receivedAt: parsed[0], id: parsed[1] };
  }
  throw DomainException.invalid(
    '"after" is not a cursor sourceEvents issued; pass pageInfo.endCursor from a previous page',
  );
}
