/**
 * What went wrong with a provider call, classified once per app (e.g. stripe.errors.ts):
 * - auth / permission: the admin must fix the credentials; never retried.
 * - rate_limited: retried after `retryAfterMs` (or our backoff when the provider gives none).
 * - transient: 5xx, timeouts, connection resets; retried with backoff.
 * - cursor_gone: the paging cursor no longer exists; the listing restarts (upserts make that safe).
 * - invalid: a request we built was refused; a bug on our side, not retried.
 * - exhausted: the connector already retried the provider as often as one run may (Shopify bulk jobs failing in
 *   a row); the run fails without the engine's retries, and the next run continues its cursor with a new budget.
 */
export type ProviderErrorKind =
  'auth' | 'permission' | 'rate_limited' | 'transient' | 'cursor_gone' | 'invalid' | 'exhausted';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    /** Our own words: provider messages can echo secrets (Stripe's 401 shows part of the key). */
    message: string,
    readonly provider: string,
    readonly status?: number,
    readonly providerCode?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
