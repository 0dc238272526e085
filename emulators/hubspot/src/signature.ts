// HubSpot's webhook signatures (cloud-apis.md §2.7). v3: base64 HMAC-SHA256 with the app's client secret over
// method + full URI + raw body + timestamp (ms). v1, still sent beside it: hex SHA-256 of secret + body.
import { createHash, createHmac } from 'node:crypto';

export function signatureV3(
  clientSecret: string,
  method: string,
  uri: string,
  body: string,
  timestampMs: number,
): string {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestampMs}`, 'utf8').digest('base64');
}

export function signatureV1(clientSecret: string, body: string): string {
  return createHash('sha256').update(`${clientSecret}${body}`, 'utf8').digest('hex');
}

/** The headers HubSpot sends with a webhook request. */
export function signedHeaders(
  clientSecret: string,
  uri: string,
  body: string,
  timestampMs: number,
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-HubSpot-Signature-v3': signatureV3(clientSecret, 'POST', uri, body, timestampMs),
    'X-HubSpot-Request-Timestamp': String(timestampMs),
    'X-HubSpot-Signature': signatureV1(clientSecret, body),
    'X-HubSpot-Signature-Version': 'v1',
  };
}
