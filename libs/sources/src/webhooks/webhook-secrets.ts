import type { Keyring } from '@app/common';
import type { CloudCredentials } from '@app/connectors';

/**
 * A source's webhook signing secrets: the current one and the one it replaced. Both verify deliveries, so
 * a rotation (registering a Stripe endpoint, or a secret set by hand) drops nothing the old endpoint still signs;
 * the previous one is accepted until the next rotation replaces it.
 */
export interface WebhookSecrets {
  current: string;
  previous?: string;
}

/** What a source_credentials row seals: the app's credentials and, once known, its webhook secrets. */
export type SealedCredentials = CloudCredentials & { webhookSecrets?: WebhookSecrets };

/** `next` becomes current and the current one previous; setting the current secret again changes nothing. */
export function rotateWebhookSecret(existing: WebhookSecrets | undefined, next: string): WebhookSecrets {
  if (!existing) {
    return { current: next };
  }
  return existing.current === next ? existing : { current: next, previous: existing.current };
}

/** The secrets a delivery may be signed with, current first. */
export function acceptedSecrets(secrets: WebhookSecrets | undefined): string[] {
  return secrets ? [secrets.current, ...(secrets.previous ? [secrets.previous] : [])] : [];
}

// The source id is the associated data: a sealed row moved to another source does not open.
export function openSealed(keyring: Keyring, sourceId: string, sealed: string): SealedCredentials {
  return JSON.parse(keyring.open(sealed, sourceId)) as SealedCredentials;
}

export function seal(keyring: Keyring, sourceId: string, credentials: SealedCredentials): string {
  return keyring.seal(JSON.stringify(credentials), sourceId);
}
