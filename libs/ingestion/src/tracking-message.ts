import { randomUUID } from 'node:crypto';
import { type ItemRejection, reject } from './item-result';
import { deeperThan, hasUnstorableText, UNSTORABLE_TEXT } from './json-guards';
import { MAX_EVENT_BYTES, MAX_EVENT_DEPTH, MAX_ID_LENGTH, MAX_MESSAGE_ID_LENGTH } from './tracking-limits';
import type { PlanViolation } from './plan-check';
import { readTimestamps } from './tracking-timestamps';

/** The Segment spec's calls (https://segment.com/docs/connections/spec/). */
export const MESSAGE_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

type Json = Record<string, unknown>;

/** One event as stored: the columns other issues read without parsing JSON, and the whole message. */
export interface TrackingEvent {
  messageId: string;
  type: MessageType;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  groupId: string | null;
  previousId: string | null;
  traits: Json | null;
  externalIds: unknown[] | null;
  timestamp: Date;
  originalTimestamp: Date | null;
  sentAt: Date | null;
  receivedAt: Date;
  /** The message as accepted, with the fields above normalised (ISO timestamps, string ids, messageId). */
  payload: Json;
  /** A FLAG-mode plan's violations of this event (stored with it); absent when unchecked or conforming. */
  violations?: PlanViolation[] | null;
}

/** What surrounds a message: the batch's shared fields and the server's clock at arrival. */
export interface MessageEnvelope {
  receivedAt: Date;
  /** Batch-level fields merged into each item (items win key by key). */
  context?: Json;
  integrations?: Json;
  sentAt?: unknown;
}

/** A refused item keeps the messageId it was sent with (when it is a string), so clients can match it. */
export type NormalizeResult =
  { ok: true; event: TrackingEvent } | ({ ok: false; messageId?: string | null } & ItemRejection);

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies Segment's field rules to one message: the type's required fields, an identity, a messageId
 * (generated when absent) and the four timestamps with clock-skew correction. `type` falls back to the
 * endpoint's (`/v1/track` needs none in the body).
 */
export function normalizeMessage(raw: unknown, envelope: MessageEnvelope, endpointType?: MessageType): NormalizeResult {
  const result = normalize(raw, envelope, endpointType);
  if (result.ok) {
    return result;
  }
  const given =
    isObject(raw) && typeof raw.messageId === 'string' ? raw.messageId.slice(0, MAX_MESSAGE_ID_LENGTH) : null;
  return { ...result, messageId: given };
}

function normalize(raw: unknown, envelope: MessageEnvelope, endpointType?: MessageType): NormalizeResult {
  if (!isObject(raw)) {
    return reject('invalid_message', '', 'each event must be a JSON object');
  }
  // Before anything recursive (JSON.stringify, Postgres' jsonb parser) sees it.
  if (deeperThan(raw, MAX_EVENT_DEPTH)) {
    return reject('too_deep', '', `objects and arrays may be nested at most ${MAX_EVENT_DEPTH} levels deep`);
  }
  const json = JSON.stringify(raw);
  if (Buffer.byteLength(json, 'utf8') > MAX_EVENT_BYTES) {
    return reject('too_large', '', `an event may be at most ${MAX_EVENT_BYTES / 1024} KB of JSON`);
  }
  if (hasUnstorableText(json)) {
    return reject('invalid_text', '', UNSTORABLE_TEXT);
  }
  const type = endpointType ?? raw.type;
  if (!isMessageType(type)) {
    return reject('invalid_type', 'type', `type must be one of ${MESSAGE_TYPES.join(', ')}`);
  }
  const ids = readIds(raw);
  if ('field' in ids) {
    return { ok: false, ...ids };
  }
  const shape = checkShape(type, raw, ids);
  if (shape) {
    return { ok: false, ...shape };
  }
  const times = readTimestamps(raw, envelope);
  if ('field' in times) {
    return { ok: false, ...times };
  }
  const messageId = raw.messageId ?? `trb-${randomUUID()}`;
  if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > MAX_MESSAGE_ID_LENGTH) {
    return reject(
      'invalid_field',
      'messageId',
      `messageId must be a string of 1 to ${MAX_MESSAGE_ID_LENGTH} characters`,
    );
  }
  const context = mergeShared(envelope.context, raw.context);
  const integrations = mergeShared(envelope.integrations, raw.integrations);
  const traits = isObject(raw.traits) ? raw.traits : isObject(context?.traits) ? context.traits : null;
  const externalIds = Array.isArray(context?.externalIds) ? (context.externalIds as unknown[]) : null;
  const timestamp = times.timestamp.toISOString();
  const payload = storedPayload(raw, { type, messageId, ...ids }, context, integrations);
  payload.timestamp = timestamp;
  // Without sentAt they are the same instant (often the same Date): formatted once.
  payload.originalTimestamp =
    times.originalTimestamp?.getTime() === times.timestamp.getTime()
      ? timestamp
      : (times.originalTimestamp?.toISOString() ?? null);
  payload.sentAt = times.sentAt?.toISOString() ?? null;
  payload.receivedAt = isoOfReceivedAt(envelope.receivedAt);
  return {
    ok: true,
    event: {
      messageId,
      type,
      event: type === 'track' ? (raw.event as string) : null,
      userId: ids.userId ?? null,
      anonymousId: ids.anonymousId ?? null,
      groupId: ids.groupId ?? null,
      previousId: ids.previousId ?? null,
      traits,
      externalIds,
      timestamp: times.timestamp,
      originalTimestamp: times.originalTimestamp,
      sentAt: times.sentAt,
      receivedAt: envelope.receivedAt,
      payload,
    },
  };
}

// A batch's items share one receivedAt: formatted once, not once per item (toISOString is not cheap).
let lastReceivedAt = NaN;
let lastReceivedAtIso = '';

function isoOfReceivedAt(receivedAt: Date): string {
  const time = receivedAt.getTime();
  if (time !== lastReceivedAt) {
    lastReceivedAtIso = receivedAt.toISOString();
    lastReceivedAt = time;
  }
  return lastReceivedAtIso;
}

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value);
}

type Ids = Partial<Record<'userId' | 'anonymousId' | 'groupId' | 'previousId', string>>;
const ID_FIELDS = ['userId', 'anonymousId', 'groupId', 'previousId'] as const;

/** Ids may be strings or numbers (Segment's libraries accept both); stored as strings. Empty means absent. */
function readIds(raw: Json): Ids | ItemRejection {
  const ids: Ids = {};
  for (const field of ID_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null || value === '') {
      continue;
    }
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value).length > MAX_ID_LENGTH) {
      return rejection(
        'invalid_field',
        field,
        `${field} must be a string or a number of at most ${MAX_ID_LENGTH} characters`,
      );
    }
    ids[field] = String(value);
  }
  return ids;
}

function checkShape(type: MessageType, raw: Json, ids: Ids): ItemRejection | null {
  if (type === 'alias') {
    if (!ids.userId) {
      return rejection('missing_field', 'userId', 'alias needs userId (the new id)');
    }
    return ids.previousId ? null : rejection('missing_field', 'previousId', 'alias needs previousId (the old id)');
  }
  if (!ids.userId && !ids.anonymousId) {
    return rejection('missing_identity', 'userId', 'every event needs userId or anonymousId');
  }
  if (type === 'track' && (typeof raw.event !== 'string' || raw.event.trim() === '')) {
    return rejection('missing_field', 'event', 'track needs event, the name of the action (a non-empty string)');
  }
  if (type === 'group' && !ids.groupId) {
    return rejection('missing_field', 'groupId', 'group needs groupId');
  }
  for (const field of ['properties', 'traits', 'context', 'integrations'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && !isObject(raw[field])) {
      return rejection('invalid_field', field, `${field} must be a JSON object`);
    }
  }
  for (const field of ['name', 'category'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && typeof raw[field] !== 'string') {
      return rejection('invalid_field', field, `${field} must be a string`);
    }
  }
  return null;
}

/**
 * The message as stored: a copy of what was sent with the normalised fields set, without the write key.
 * Copied with Object.assign and plain assignments: an object literal spreading a parsed body and then
 * adding keys measured ~50 times slower in V8 (≈12 µs per event, most of normalisation's cost).
 */
function storedPayload(raw: Json, normalised: Json, context?: Json, integrations?: Json): Json {
  const payload: Json = Object.assign({}, raw, normalised);
  if (context) {
    payload.context = context;
  }
  if (integrations) {
    payload.integrations = integrations;
  }
  if ('writeKey' in payload) {
    delete payload.writeKey;
  }
  return payload;
}

function mergeShared(shared: Json | undefined, own: unknown): Json | undefined {
  if (!shared) {
    return isObject(own) ? own : undefined;
  }
  return { ...shared, ...(isObject(own) ? own : {}) };
}

function rejection(code: ItemRejection['code'], field: string, reason: string): ItemRejection {
  return { code, field, reason };
}
