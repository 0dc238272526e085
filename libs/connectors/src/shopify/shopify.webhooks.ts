import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck, SignedRequest, WebhookEvent } from '../core/connector-definition';
import { SHOPIFY_OBJECTS } from './shopify.objects';

const HMAC_HEADER = 'x-shopify-hmac-sha256';
const BASE64 = /^[A-Za-z0-9+/]{43}=$/; // 32 bytes of HMAC-SHA256

/** Shopify's largest webhook body we accept (an order with many line items is a few hundred kB). */
export const SHOPIFY_WEBHOOK_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * Verifies `X-Shopify-Hmac-Sha256` (cloud-apis.md §3.6): base64 HMAC-SHA256 of the raw body, keyed with the
 * app's client secret, compared in constant time against each of the source's secrets. Shopify signs no
 * timestamp, so a replay is caught by the event-id dedupe, not here. Reasons never hold a secret or the body.
 */
export function verifyShopifySignature(request: SignedRequest, secrets: readonly string[]): SignatureCheck {
  const signature = request.header(HMAC_HEADER);
  if (signature === undefined) {
    return { ok: false, problem: 'missing', reason: 'A Shopify delivery carries X-Shopify-Hmac-Sha256; it is missing' };
  }
  if (!BASE64.test(signature)) {
    return { ok: false, problem: 'malformed', reason: 'X-Shopify-Hmac-Sha256 must be a base64 SHA-256 HMAC' };
  }
  const given = Buffer.from(signature, 'base64');
  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(request.body).digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return matches
    ? { ok: true }
    : {
        ok: false,
        problem: 'mismatch',
        reason:
          "X-Shopify-Hmac-Sha256 does not match the source's webhook secret (the app's client secret) for this body",
      };
}

/**
 * The one event of a verified delivery: its id from `X-Shopify-Event-Id` (the same on a redelivery; the
 * webhook id changes), and the record's GID as the change id (`admin_graphql_api_id`, else built from the
 * body's numeric id and the topic's object). readChange reads the record back by it, so a create, an update
 * and a delete (the record is gone) are all applied as the record now is. Topics of objects we do not sync
 * (bulk_operations/finish) are acknowledged with no change.
 */
export function shopifyWebhookEvents(
  body: Buffer,
  header: SignedRequest['header'],
): WebhookEvent[] | { problem: string } {
  const eventId = header('x-shopify-event-id');
  const topic = header('x-shopify-topic');
  if (!eventId || !/^[\w-]{1,255}$/.test(eventId) || !topic) {
    return { problem: 'A Shopify delivery names its event in X-Shopify-Event-Id and its topic in X-Shopify-Topic' };
  }
  const object = SHOPIFY_OBJECTS.find((o) => topic.startsWith(`${o.root}/`));
  if (!object) {
    return [{ eventId, changeId: null }];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: `The body of a ${topic} delivery must be JSON` };
  }
  const { id, admin_graphql_api_id: gid } = (parsed ?? {}) as { id?: unknown; admin_graphql_api_id?: unknown };
  const prefix = `gid://shopify/${object.gidType}/`;
  if (typeof gid === 'string' && gid.startsWith(prefix) && /^\d+$/.test(gid.slice(prefix.length))) {
    return [{ eventId, changeId: gid }];
  }
  if ((typeof id === 'number' && Number.isSafeInteger(id) && id > 0) || (typeof id === 'string' && /^\d+$/.test(id))) {
    return [{ eventId, changeId: `${prefix}${id}` }];
  }
  return { problem: `The body of a ${topic} delivery must hold the record's numeric id` };
}
