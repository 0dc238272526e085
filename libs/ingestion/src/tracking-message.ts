import { randomUUID } from 'node:crypto';
import { type ItemRejection, reject } from './item-result';
import { MAX_EVENT_BYTES, MAX_EVENT_DEPTH, MAX_ID_LENGTH, MAX_MESSAGE_ID_LENGTH } from './tracking-limits';

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
  const payload: Json = {
    ...raw,
    type,
    messageId,
    ...ids,
    ...(context ? { context } : {}),
    ...(integrations ? { integrations } : {}),
    timestamp: times.timestamp.toISOString(),
    originalTimestamp: times.originalTimestamp?.toISOString() ?? null,
    sentAt: times.sentAt?.toISOString() ?? null,
    receivedAt: envelope.receivedAt.toISOString(),
  };
  delete payload.writeKey;
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

interface Timestamps {
  timestamp: Date;
  originalTimestamp: Date | null;
  sentAt: Date | null;
}

/**
 * receivedAt is the server's clock. The device's time of the call is originalTimestamp (or the client's
 * `timestamp`); with sentAt (the device's clock at send) the device's skew is receivedAt − sentAt, so
 * timestamp = originalTimestamp + skew. Without sentAt a client timestamp is taken as is (imports).
 */
function readTimestamps(raw: Json, envelope: MessageEnvelope): Timestamps | ItemRejection {
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

export const UNSTORABLE_TEXT =
  'strings and keys may not contain the NUL character (\\u0000) or unpaired UTF-16 surrogates';

/**
 * JSON.stringify escapes NUL and lone surrogates as \u0000 / \udXXX (paired ones stay raw): Postgres
 * refuses both in jsonb, so one such event would fail its whole group. An even run of backslashes before
 * the escape means the text was a literal backslash, which is fine.
 */
export function hasUnstorableText(json: string): boolean {
  return /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i.test(json);
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

/** Whether JSON nests objects/arrays more than `limit` levels (iterative: the input may be very deep). */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    if (depth > limit) {
      return true;
    }
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      stack.push([child, depth + 1]);
    }
  }
  return false;
}
