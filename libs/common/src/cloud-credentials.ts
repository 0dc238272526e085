import type { SourceKind } from './source-vocabulary';

/** Credentials per cloud app. Plaintext exists only in memory: sealed at rest, never returned. */
export type CloudCredentials =
  | { kind: SourceKind.STRIPE; secretKey: string }
  | { kind: SourceKind.HUBSPOT; accessToken: string }
  | { kind: SourceKind.SHOPIFY; shopDomain: string; accessToken: string };

/** Objects each cloud app can sync today (the connectors implement exactly these). */
export const SYNC_OBJECTS: Readonly<Record<string, readonly string[]>> = {
  STRIPE: ['customers'],
};
