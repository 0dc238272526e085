import { DomainException } from '@app/common';

// The cursor of a page ordered by (received_at, id) DESC: an ISO timestamp and a bigint id, behind a tag
// naming the connection that issued it ('e' sourceEvents, 'r' sourceRejections), so one connection's cursor
// is refused by another.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BIGINT = /^[1-9]\d{0,18}$/;
const MAX_BIGINT = 9223372036854775807n;

export type CursorTag = 'e' | 'r';

export interface TimeIdPosition {
  receivedAt: string;
  id: string;
}

export function encodeTimeIdCursor(tag: CursorTag, row: { receivedAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([tag, row.receivedAt.toISOString(), row.id])).toString('base64url');
}

/**
 * Checks each part as Postgres will read it, so a forged cursor is INVALID_INPUT (reason INVALID_CURSOR)
 * naming the query that issues it, never a database error.
 */
export function decodeTimeIdCursor(tag: CursorTag, cursor: string, query: string): TimeIdPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === tag) {
    const [, receivedAt, id] = parsed as unknown[];
    if (
      typeof receivedAt === 'string' &&
      ISO_TIMESTAMP.test(receivedAt) &&
      !Number.isNaN(Date.parse(receivedAt)) &&
      typeof id === 'string' &&
      BIGINT.test(id) &&
      BigInt(id) <= MAX_BIGINT
    ) {
      return { receivedAt, id };
    }
  }
  throw DomainException.invalid(
    `"after" is not a cursor ${query} issued; pass pageInfo.endCursor from a previous page`,
    { reason: 'INVALID_CURSOR' },
  );
}
