import type { WebhookEvent } from '../core/connector-definition';

/** Events per delivery: HubSpot batches up to 100 (cloud-apis.md §2.7); more is not HubSpot. */
export const HUBSPOT_WEBHOOK_MAX_EVENTS = 100;

/**
 * A delivery of 100 events whose text properties hold HubSpot's largest values (65,536 characters each) still
 * fits in 8 MiB; bigger bodies are refused before anything reads them (413).
 */
export const HUBSPOT_WEBHOOK_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

// The subscription's object (`contact.propertyChange`) names the object we store.
const OBJECTS: Record<string, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };

// Events after which the record is read back as it is now: present (created, changed, restored, the merge's
// winner) or archived/gone (deleted, merged away, privacy-deleted) — reading decides, not the event's name.
const RECORD_EVENTS = new Set(['creation', 'propertyChange', 'deletion', 'restore', 'merge', 'privacyDeletion']);

/** What a HubSpot change id names: one record of one object, and when HubSpot saw the change (epoch ms). */
export interface HubSpotChangeId {
  object: string;
  objectId: string;
  occurredAt: number;
}

const CHANGE_ID = /^(contacts|companies|deals):(\d{1,20}):(\d{1,15})$/;

export function formatHubSpotChangeId({ object, objectId, occurredAt }: HubSpotChangeId): string {
  return `${object}:${objectId}:${occurredAt}`;
}

/** The change id's parts; null when it is not one of ours. */
export function parseHubSpotChangeId(id: string): HubSpotChangeId | null {
  const match = CHANGE_ID.exec(id);
  return match ? { object: match[1], objectId: match[2], occurredAt: Number(match[3]) } : null;
}

/**
 * The events of a HubSpot delivery: a JSON array of up to 100 events, each deduplicated by its `eventId`.
 * A record event becomes `<object>:<objectId>:<occurredAt>`, read back by id (hubspot.record-change.ts).
 * Events of objects we do not sync, and `associationChange` (the association objects are read from the
 * `from` side's listing; a removed pair is only known to a full refresh), start nothing: acknowledged so
 * HubSpot stops retrying, and caught up by the source's scheduled runs.
 */
export function hubspotWebhookEvents(body: Buffer): WebhookEvent[] | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: 'The body must be JSON: an array of HubSpot webhook events' };
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > HUBSPOT_WEBHOOK_MAX_EVENTS) {
    return { problem: `The body must be an array of 1 to ${HUBSPOT_WEBHOOK_MAX_EVENTS} HubSpot webhook events` };
  }
  const events: WebhookEvent[] = [];
  for (const [index, item] of (parsed as unknown[]).entries()) {
    const event = eventOf(item);
    if (!event) {
      return {
        problem:
          `Event ${index} is not a HubSpot webhook event: it needs a numeric eventId, objectId and occurredAt ` +
          'and a subscriptionType like contact.creation',
      };
    }
    events.push(event);
  }
  return events;
}

function eventOf(item: unknown): WebhookEvent | null {
  if (typeof item !== 'object' || item === null) {
    return null;
  }
  const { eventId, objectId, occurredAt, subscriptionType } = item as Record<string, unknown>;
  const type = typeof subscriptionType === 'string' ? /^([a-z_]+)\.([A-Za-z]+)$/.exec(subscriptionType) : null;
  if (!isId(eventId) || !isId(objectId) || !isId(occurredAt) || !type) {
    return null;
  }
  const object = OBJECTS[type[1]];
  const changeId =
    object && RECORD_EVENTS.has(type[2])
      ? formatHubSpotChangeId({ object, objectId: String(objectId), occurredAt: Number(occurredAt) })
      : null;
  return { eventId: String(eventId), changeId };
}

// HubSpot's ids and times are JSON numbers (ids may come as numeric strings from older apps).
function isId(value: unknown): value is number | string {
  return (
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ||
    (typeof value === 'string' && /^\d{1,15}$/.test(value))
  );
}
