import type { TrackingEvent } from '../tracking-message';

type StoredJson = Record<string, unknown>;

/** A TrackingEvent as quarantined_events.event keeps it (dates as ISO text; no violations: they have a column). */
export function eventJson(event: TrackingEvent): StoredJson {
  const { violations: _violations, ...rest } = event;
  return { ...rest };
}

/** The TrackingEvent a quarantined row holds, dates revived, for re-ingestion. */
export function eventFromJson(json: StoredJson): TrackingEvent {
  const date = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : null);
  return {
    ...(json as unknown as TrackingEvent),
    timestamp: date(json.timestamp) as Date,
    originalTimestamp: date(json.originalTimestamp),
    sentAt: date(json.sentAt),
    receivedAt: date(json.receivedAt) as Date,
  };
}
