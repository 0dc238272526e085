import { deeperThan, hasUnstorableText, UNSTORABLE_TEXT } from './json-guards';
import { isObject, type MessageType, type NormalizeResult, normalizeMessage } from './tracking-message';
import { MAX_BATCH_ITEMS, MAX_EVENT_DEPTH } from './tracking-limits';

/** The call a request was sent to: one of the spec's types, or a batch (`/v1/batch`, `/v1/import`, `/v1/b`). */
export type TrackingEndpoint = MessageType | 'batch';

export type SplitRequest =
  | { ok: true; items: NormalizeResult[] }
  | { ok: false; status: 400 | 413; reason: string; code: string; field: string };

/**
 * Splits a decoded body into normalised items, request order kept. A single call answers 400/413 when its
 * one event is refused (the route does that); a batch refuses only for its own shape and item count, and
 * each item gets its own result. Batch-level context, integrations and sentAt apply to every item.
 */
export function splitTrackingRequest(body: unknown, endpoint: TrackingEndpoint, receivedAt: Date): SplitRequest {
  if (endpoint !== 'batch') {
    return { ok: true, items: [normalizeMessage(body, { receivedAt }, endpoint)] };
  }
  if (!isObject(body) || !Array.isArray(body.batch)) {
    return refuse(400, 'invalid_batch', 'batch', 'A batch is a JSON object whose `batch` field is an array of events');
  }
  if (body.batch.length > MAX_BATCH_ITEMS) {
    return refuse(
      413,
      'too_many_items',
      'batch',
      `A batch holds at most ${MAX_BATCH_ITEMS} events; got ${body.batch.length}`,
    );
  }
  for (const field of ['context', 'integrations'] as const) {
    if (body[field] !== undefined && body[field] !== null && !isObject(body[field])) {
      return refuse(400, 'invalid_field', field, `The batch's ${field} must be a JSON object`);
    }
  }
  if (deeperThan([body.context, body.integrations], MAX_EVENT_DEPTH)) {
    return refuse(
      400,
      'too_deep',
      'context',
      `The batch's context or integrations nest over ${MAX_EVENT_DEPTH} levels`,
    );
  }
  if (hasUnstorableText(JSON.stringify([body.context ?? null, body.integrations ?? null]))) {
    return refuse(400, 'invalid_text', 'context', `The batch's context or integrations: ${UNSTORABLE_TEXT}`);
  }
  const envelope = {
    receivedAt,
    context: isObject(body.context) ? body.context : undefined,
    integrations: isObject(body.integrations) ? body.integrations : undefined,
    sentAt: body.sentAt,
  };
  return { ok: true, items: body.batch.map((item) => normalizeMessage(item, envelope)) };
}

function refuse(status: 400 | 413, code: string, field: string, reason: string): SplitRequest {
  return { ok: false, status, code, field, reason };
}
