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

/**
 * What a HubSpot change id names: one record of one object, or one link of an association object (its `from`
 * side's links to the `to` side are read again), and when HubSpot saw the change (epoch ms).
 */
export type HubSpotChangeId =
  | { kind: 'record'; object: string; objectId: string; occurredAt: number }
  | { kind: 'association'; object: string; fromId: string; toId: string; occurredAt: number };

const RECORD_ID = /^(contacts|companies|deals):(\d{1,20}):(\d{1,15})$/;
const ASSOCIATION_ID = /^(contact_companies|deal_contacts|deal_companies):(\d{1,20}):(\d{1,20}):(\d{1,15})$/;

// HubSpot's associationType, as our association objects keep the link: the object, and whether HubSpot's
// `from` is our `from` side (CONTACT_TO_COMPANY) or the other (COMPANY_TO_CONTACT).
const ASSOCIATIONS: Record<string, { object: string; reversed: boolean }> = {
  CONTACT_TO_COMPANY: { object: 'contact_companies', reversed: false },
  COMPANY_TO_CONTACT: { object: 'contact_companies', reversed: true },
  DEAL_TO_CONTACT: { object: 'deal_contacts', reversed: false },
  CONTACT_TO_DEAL: { object: 'deal_contacts', reversed: true },
  DEAL_TO_COMPANY: { object: 'deal_companies', reversed: false },
  COMPANY_TO_DEAL: { object: 'deal_companies', reversed: true },
};

export function formatHubSpotChangeId(id: HubSpotChangeId): string {
  return id.kind === 'record'
    ? `${id.object}:${id.objectId}:${id.occurredAt}`
    : `${id.object}:${id.fromId}:${id.toId}:${id.occurredAt}`;
}

/** The change id's parts; null when it is not one of ours. */
export function parseHubSpotChangeId(id: string): HubSpotChangeId | null {
  const record = RECORD_ID.exec(id);
  if (record) {
    return { kind: 'record', object: record[1], objectId: record[2], occurredAt: Number(record[3]) };
  }
  const link = ASSOCIATION_ID.exec(id);
  return link
    ? { kind: 'association', object: link[1], fromId: link[2], toId: link[3], occurredAt: Number(link[4]) }
    : null;
}

/**
 * The events of a HubSpot delivery: a JSON array of up to 100 events, each deduplicated by its `eventId`.
 * A record event becomes `<object>:<objectId>:<occurredAt>`, an associationChange of a pair we keep
 * `<association object>:<fromId>:<toId>:<occurredAt>`, both read back from HubSpot by id
 * (hubspot.record-change.ts). Events of objects or pairs we do not sync start nothing: acknowledged so HubSpot
 * stops retrying.
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
  const fields = item as Record<string, unknown>;
  const { eventId, occurredAt, subscriptionType } = fields;
  const type = typeof subscriptionType === 'string' ? /^([a-z_]+)\.([A-Za-z]+)$/.exec(subscriptionType) : null;
  if (!isId(eventId) || !isId(occurredAt) || !type) {
    return null;
  }
  const at = Number(occurredAt);
  if (type[2] === 'associationChange') {
    const changeId = associationChangeId(fields, at);
    return changeId === undefined ? null : { eventId: String(eventId), changeId };
  }
  if (!isId(fields.objectId)) {
    return null;
  }
  const object = OBJECTS[type[1]];
  const objectId = String(fields.objectId);
  const changeId =
    object && RECORD_EVENTS.has(type[2])
      ? formatHubSpotChangeId({ kind: 'record', object, objectId, occurredAt: at })
      : null;
  return { eventId: String(eventId), changeId };
}

/** The link's change id; null for a pair we do not keep; undefined when the event lacks its ids. */
function associationChangeId(fields: Record<string, unknown>, occurredAt: number): string | null | undefined {
  const { associationType, fromObjectId, toObjectId } = fields;
  if (!isId(fromObjectId) || !isId(toObjectId) || typeof associationType !== 'string') {
    return undefined;
  }
  const kept = ASSOCIATIONS[associationType];
  if (!kept) {
    return null;
  }
  const [fromId, toId] = kept.reversed ? [toObjectId, fromObjectId] : [fromObjectId, toObjectId];
  return formatHubSpotChangeId({
    kind: 'association',
    object: kept.object,
    fromId: String(fromId),
    toId: String(toId),
    occurredAt,
  });
}

// HubSpot's ids and times are JSON numbers (ids may come as numeric strings from older apps).
function isId(value: unknown): value is number | string {
  return (
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ||
    (typeof value === 'string' && /^\d{1,15}$/.test(value))
  );
}
