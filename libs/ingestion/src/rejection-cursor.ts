import { DomainException } from '@app/common';

// An ISO timestamp and the rejection's bigint id, as event cursors are (event-reader.ts).
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BIGINT = /^[1-9]\d{0,18}$/;

export function encodeRejectionCursor(r: { receivedAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify(['r', r.receivedAt.toISOString(), r.id])).toString('base64url');
}

/** Checks each part as Postgres will read it, so a forged cursor is INVALID_INPUT, never a database error. */
export function decodeRejectionCursor(cursor: string): { receivedAt: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 3 &&
    parsed[0] === 'r' &&
    typeof parsed[1] === 'string' &&
    ISO_TIMESTAMP.test(parsed[1]) &&
    !Number.isNaN(Date.parse(parsed[1])) &&
    typeof parsed[2] === 'string' &&
    BIGINT.test(parsed[2]) &&
    BigInt(parsed[2]) <= 9223372036854775807n
  ) {
    return { receivedAt: parsed[1], id: parsed[2] };
  }
  throw DomainException.invalid(
    '"after" is not a cursor sourceRejections issued; pass pageInfo.endCursor from a previous page',
    { reason: 'INVALID_CURSOR' },
  );
}
