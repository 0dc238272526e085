import { DomainException } from './domain.exception';

/** Keyset position used by Relay-style pagination: ordered by (createdAt, id). */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      const createdAt = new Date(parsed[0]);
      if (!Number.isNaN(createdAt.getTime())) {
        return { createdAt, id: parsed[1] };
      }
    }
  } catch {
    // fall through to the domain error below
  }
  throw DomainException.invalid(
    `"after" is not a cursor this API issued; pass pageInfo.endCursor from a previous page`,
  );
}
