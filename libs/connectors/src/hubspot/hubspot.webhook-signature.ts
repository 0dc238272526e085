import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck, SignedRequest } from '../core/connector-definition';

/** HubSpot's window (its client's `Signature.isValid` throws past it): older timestamps are replays. */
export const HUBSPOT_SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
const BASE64 = /^[A-Za-z0-9+/]{43}=$/; // 32 bytes of HMAC-SHA256

/**
 * Verifies `X-HubSpot-Signature-v3` as HubSpot documents it (cloud-apis.md §2.7): base64 HMAC-SHA256, keyed
 * with the app's client secret, of method + the full URI HubSpot called + the raw body + the
 * `X-HubSpot-Request-Timestamp` (ms), which must be within five minutes of now (either way: a timestamp far
 * ahead would let a captured delivery be replayed for longer). Compared in constant time against each secret.
 * Reasons never include a secret or the body.
 */
export function verifyHubSpotSignature(
  request: SignedRequest,
  secrets: readonly string[],
  nowMs: number,
  windowMs = HUBSPOT_SIGNATURE_WINDOW_MS,
): SignatureCheck {
  const signature = request.header(SIGNATURE_HEADER);
  const timestamp = request.header(TIMESTAMP_HEADER);
  if (signature === undefined || timestamp === undefined) {
    return {
      ok: false,
      problem: 'missing',
      reason: 'A HubSpot delivery carries X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp; one is missing',
    };
  }
  if (!/^\d{1,15}$/.test(timestamp) || !BASE64.test(signature)) {
    return {
      ok: false,
      problem: 'malformed',
      reason: 'X-HubSpot-Request-Timestamp must be epoch milliseconds and X-HubSpot-Signature-v3 a base64 SHA-256 HMAC',
    };
  }
  if (Math.abs(nowMs - Number(timestamp)) > windowMs) {
    return {
      ok: false,
      problem: 'stale',
      reason: `X-HubSpot-Request-Timestamp is more than ${windowMs / 1000} s from now (a replay, or a clock far off)`,
    };
  }
  const given = Buffer.from(signature, 'base64');
  const signed = Buffer.concat([
    Buffer.from(`${request.method}${request.url}`, 'utf8'),
    request.body,
    Buffer.from(timestamp, 'utf8'),
  ]);
  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(signed).digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return matches
    ? { ok: true }
    : {
        ok: false,
        problem: 'mismatch',
        reason:
          "X-HubSpot-Signature-v3 does not match the source's client secret for this URI and body " +
          '(is INGEST_PUBLIC_URL the address HubSpot calls?)',
      };
}
