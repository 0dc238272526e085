import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck, WebhookEvent } from '../core/connector-definition';

/** Stripe's events are small JSON documents; 1 MiB leaves room for the largest invoice with its lines. */
export const STRIPE_WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Stripe's tolerance (stripe-node's default): a signature older than this is refused as a replay. */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Verifies a `Stripe-Signature` header (`t=<unix s>,v1=<hex>[,v1=<hex>…]`, other schemes ignored) as
 * Stripe documents it: HMAC-SHA256 of `t + "." + raw body` keyed with the endpoint secret (`whsec_`
 * included), accepted when any v1 matches any of `secrets` (two during a rotation) and `t` is at most
 * the tolerance old. Reasons never include the secrets or the body.
 */
export function verifyStripeSignature(
  header: string | undefined,
  rawBody: Buffer,
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds = STRIPE_SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) {
    return { ok: false, problem: 'missing', reason: 'No Stripe-Signature header' };
  }
  const parsed = parseHeader(header);
  if (!parsed) {
    return {
      ok: false,
      problem: 'malformed',
      reason: 'Stripe-Signature must be t=<unix seconds> and at least one v1=<hex signature>',
    };
  }
  if (nowSeconds - parsed.timestamp > toleranceSeconds) {
    return {
      ok: false,
      problem: 'stale',
      reason: `Signature timestamp is more than ${toleranceSeconds} s old (a replay, or a clock far off)`,
    };
  }
  const signed = Buffer.concat([Buffer.from(`${parsed.timestamp}.`, 'utf8'), rawBody]);
  const expected = secrets.map((secret) => createHmac('sha256', secret).update(signed).digest());
  const matches = parsed.v1.some((given) =>
    expected.some((e) => e.length === given.length && timingSafeEqual(e, given)),
  );
  return matches
    ? { ok: true }
    : { ok: false, problem: 'mismatch', reason: "No v1 signature matches the source's webhook secrets" };
}

function parseHeader(header: string): { timestamp: number; v1: Buffer[] } | null {
  let timestamp: number | null = null;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (at < 0) {
      return null;
    }
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) {
        return null;
      }
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) {
        return null;
      }
      v1.push(Buffer.from(value, 'hex'));
    }
  }
  return timestamp === null || v1.length === 0 ? null : { timestamp, v1 };
}

const EVENT_ID = /^evt_[A-Za-z0-9_]{1,251}$/;

/** A Stripe delivery is one event; it is read back from Stripe by its id, so the change id is the event id. */
export function stripeWebhookEvents(body: Buffer): WebhookEvent[] | { problem: string } {
  const eventId = eventIdOf(body);
  return eventId
    ? [{ eventId, changeId: eventId }]
    : { problem: 'The body must be a Stripe event: a JSON object with "object": "event" and an evt_ id' };
}

function eventIdOf(rawBody: Buffer): string | null {
  try {
    const event = JSON.parse(rawBody.toString('utf8')) as unknown;
    if (typeof event !== 'object' || event === null) {
      return null;
    }
    const { id, object } = event as { id?: unknown; object?: unknown };
    return object === 'event' && typeof id === 'string' && EVENT_ID.test(id) ? id : null;
  } catch {
    return null;
  }
}
