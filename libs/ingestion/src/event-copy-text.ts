import type { TrackingEvent } from './tracking-message';

/** The columns the COPY path fills, in the order eventCopyLine writes them. */
export const COPY_EVENTS_SQL =
  'COPY events (source_id, message_id, type, event, user_id, anonymous_id, group_id, previous_id, traits, ' +
  'external_ids, timestamp, original_timestamp, sent_at, received_at, payload, violations) FROM STDIN';

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * One field in COPY's text format: NULL as \N; a backslash, tab, newline or carriage return escaped (they
 * would end the field or the row, or start an escape). Other characters go as they are (UTF-8).
 */
export function copyField(value: string | null): string {
  if (value === null) {
    return '\\N';
  }
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPED[c]) : value;
}

/** A jsonb field: the value's JSON text (JSON escapes control characters, but its backslashes still double). */
function jsonField(value: unknown): string {
  return value === null || value === undefined ? '\\N' : copyField(JSON.stringify(value));
}

type TimeField = 'timestamp' | 'originalTimestamp' | 'sentAt' | 'receivedAt';

/**
 * An event's time as ISO text: normalizeMessage wrote each one into the payload already (toISOString, the
 * same text the column gets), so it is read from there rather than formatted again for every column.
 */
export function isoTime(e: TrackingEvent, field: TimeField): string | null {
  const written = e.payload[field];
  return typeof written === 'string' ? written : (e[field]?.toISOString() ?? null);
}

function timeField(e: TrackingEvent, field: TimeField): string {
  return isoTime(e, field) ?? '\\N';
}

/** One row of COPY_EVENTS_SQL, its newline included. */
export function eventCopyLine(sourceId: string, e: TrackingEvent): string {
  return (
    `${copyField(sourceId)}\t${copyField(e.messageId)}\t${e.type}\t${copyField(e.event)}\t${copyField(e.userId)}\t` +
    `${copyField(e.anonymousId)}\t${copyField(e.groupId)}\t${copyField(e.previousId)}\t` +
    `${jsonField(e.traits)}\t${jsonField(e.externalIds)}\t${timeField(e, 'timestamp')}\t` +
    `${timeField(e, 'originalTimestamp')}\t${timeField(e, 'sentAt')}\t${timeField(e, 'receivedAt')}\t` +
    `${jsonField(e.payload)}\t${jsonField(e.violations)}\n`
  );
}
