// Stripe's webhook signature (cloud-apis.md §1.8): `t=<unix s>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`,
// the secret used as-is (`whsec_` included). While a secret is rolled, one v1 per secret.
import { createHmac } from 'node:crypto';

export function signatureHeader(body: string, timestamp: number, secrets: readonly string[]): string {
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  );
  return [`t=${timestamp}`, ...signatures].join(',');
}
