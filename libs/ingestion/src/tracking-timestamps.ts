import type { ItemRejection } from './item-result';

type Json = Record<string, unknown>;

export interface Timestamps {
  timestamp: Date;
  originalTimestamp: Date | null;
  sentAt: Date | null;
}

/**
 * receivedAt is the server's clock. The device's time of the call is originalTimestamp (or the client's
 * `timestamp`); with sentAt (the device's clock at send) the device's skew is receivedAt − sentAt, so
 * timestamp = originalTimestamp + skew. Without sentAt a client timestamp is taken as is (imports).
 */
export function readTimestamps(
  raw: Json,
  envelope: { receivedAt: Date; sentAt?: unknown },
): Timestamps | ItemRejection {
  const parsed: Partial<Record<'timestamp' | 'originalTimestamp' | 'sentAt', Date | null>> = {};
  for (const field of ['timestamp', 'originalTimestamp', 'sentAt'] as const) {
    const value = field === 'sentAt' ? (raw.sentAt ?? envelope.sentAt) : raw[field];
    const date = parseTime(value);
    if (date === undefined) {
      return rejection(
        'invalid_timestamp',
        field,
        `${field} must be an ISO-8601 date-time, such as 2026-12-01T10:00:00.000Z`,
      );
    }
    parsed[field] = date;
  }
  const original = parsed.originalTimestamp ?? parsed.timestamp ?? null;
  const sentAt = parsed.sentAt ?? null;
  const timestamp =
    original && sentAt
      ? new Date(original.getTime() + (envelope.receivedAt.getTime() - sentAt.getTime()))
      : (parsed.timestamp ?? envelope.receivedAt);
  if (!inRange(timestamp)) {
    return rejection(
      'invalid_timestamp',
      'sentAt',
      'sentAt and timestamp are so far apart that the corrected time is out of range',
    );
  }
  return { timestamp, originalTimestamp: original, sentAt };
}

// ISO-8601 with a date and a time (offset optional, as JavaScript reads it); plain years or numbers are refused.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** null when absent, undefined when present but not a date-time. */
function parseTime(value: unknown): Date | null | undefined {
  if (value === undefined || value === null || value === '') {
    return null;
  }
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) {
    return undefined;
  }
  const date = new Date(value);
  return inRange(date) ? date : undefined;
}

// 1970 to 9999: what every store downstream accepts (Postgres has no year 0; Segment ignores pre-1970).
const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(10_000, 0, 1) - 1;

function inRange(date: Date): boolean {
  const t = date.getTime();
  return !Number.isNaN(t) && t >= MIN_TIME && t <= MAX_TIME;
}

function rejection(code: ItemRejection['code'], field: string, reason: string): ItemRejection {
  return { code, field, reason };
}
