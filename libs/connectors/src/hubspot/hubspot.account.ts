import { createHash } from 'node:crypto';
import type { RequestRate } from '../core/request-budget';

/**
 * HubSpot limits requests per portal. The portal id would come from `GET /account-info/v3/details`, which the
 * emulator does not serve yet, so today the budget key is the token's fingerprint (`hubspot:token:<16 hex of
 * SHA-256>`): sources sharing a token share a budget; two tokens of one portal get one budget each (a known
 * gap until the portal id is read). The fingerprint cannot be turned back into the token.
 */
export function hubspotAccountKey(accessToken: string): string {
  return `hubspot:token:${createHash('sha256').update(accessToken).digest('hex').slice(0, 16)}`;
}

/**
 * A private app may send 100 requests per rolling 10 s on Free/Starter, 190 on Professional and Enterprise
 * (cloud-apis.md §2.6): 9 per second with a burst of 5 stays inside every tier. Per-tier settings and the
 * search and daily limits are a later step.
 */
export const HUBSPOT_REQUEST_RATE: RequestRate = { perSecond: 9, burst: 5 };
