import { DomainException } from './domain.exception';

/** Keyset position used by Relay-style pagination: ordered by (createdAt, id). */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

// What encodeCursor writes: an ISO timestamp (toISOString) and a row id (always a UUID).
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

/**
 * Decodes a cursor and checks each part as the database will read it, so a forged or damaged cursor is
 * the caller's error (INVALID_INPUT) and never reaches Postgres as a bad uuid or timestamp.
 */
export function decodeCursor(cursor: string): KeysetPosition {
  const parsed = parseJson(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (Array.isArray(parsed) && parsed.length === 2 && isTimestamp(parsed[0]) && isUuid(parsed[1])) {
    return { createdAt: new Date(parsed[0]), id: parsed[1] };
  }
  throw DomainException.invalid(
    `"after" is not a cursor this API issued; pass pageInfo.endCursor from a previous page`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value)) {
    return false;
  }
  const date = new Date(value);
  // A round trip refuses dates that roll over (Feb 31) as well as unparsable ones.
  return !Number.isNaN(date.getTime()) && date.toISOString() === value;
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
