import { ProviderError } from '../core/provider-error';

const PROVIDER = 'hubspot';

/** What @hubspot/api-client throws for a non-2xx answer (its ApiException, not exported by the package). */
export interface HubSpotApiFailure {
  code: number;
  body: unknown;
  headers?: Record<string, string>;
}

// HubSpot's scopes (crm.objects.contacts.read) and categories (MISSING_SCOPES): anything else is not echoed.
const SCOPE = /^[a-z][a-z0-9_.-]{0,99}$/;
const CATEGORY = /^[A-Z][A-Z0-9_]{0,63}$/;

/** How long each 429 policy asks to wait when no Retry-After comes (cloud-apis.md §2.6, §2.8). */
const POLICY_WAIT_MS: Record<string, number> = { SECONDLY: 1_000, TEN_SECONDLY_ROLLING: 10_000 };

export function isHubSpotApiFailure(error: unknown): error is HubSpotApiFailure {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number';
}

/**
 * Classifies a failed HubSpot call. Messages are ours; only HubSpot's category, policy and the names of
 * missing scopes are kept, when they look like one.
 */
export function classifyHubSpotError(error: HubSpotApiFailure): ProviderError {
  const { code: status } = error;
  const body = (typeof error.body === 'object' && error.body !== null ? error.body : {}) as Record<string, unknown>;
  const category = typeof body.category === 'string' && CATEGORY.test(body.category) ? body.category : undefined;
  if (status === 401) {
    return new ProviderError(
      'auth',
      'HubSpot rejected the access token (401): set a valid private-app token with setSourceCredentials',
      PROVIDER,
      status,
      category,
    );
  }
  if (status === 403) {
    const scopes = missingScopes(body);
    const named = scopes.length > 0 ? `the scope ${scopes.join(', ')}` : 'a scope this call needs';
    return new ProviderError(
      'permission',
      `The HubSpot private app lacks ${named} (403): grant it in the app's settings and set the new token`,
      PROVIDER,
      status,
      category,
    );
  }
  if (status === 429) {
    const policy = typeof body.policyName === 'string' && CATEGORY.test(body.policyName) ? body.policyName : undefined;
    return new ProviderError(
      'rate_limited',
      `HubSpot rate limit reached (429${policy ? ` ${policy}` : ''}); retrying after its wait`,
      PROVIDER,
      status,
      policy ?? category,
      retryAfterMs(error.headers) ?? (policy ? POLICY_WAIT_MS[policy] : undefined),
    );
  }
  if (status === 0 || status >= 500) {
    return new ProviderError('transient', `HubSpot is unavailable (${status}); will retry`, PROVIDER, status, category);
  }
  return new ProviderError(
    'invalid',
    `HubSpot refused the request (${status}${category ? ` ${category}` : ''})`,
    PROVIDER,
    status,
    category,
  );
}

/** The scopes a 403 MISSING_SCOPES names in `errors[].context.requiredGranularScopes`. */
function missingScopes(body: Record<string, unknown>): string[] {
  const errors = Array.isArray(body.errors) ? (body.errors as { context?: Record<string, unknown> }[]) : [];
  const scopes = errors.flatMap((e) => {
    const named: unknown = e?.context?.requiredGranularScopes ?? e?.context?.requiredScopes;
    return Array.isArray(named) ? (named as unknown[]) : [];
  });
  return [...new Set(scopes.filter((s): s is string => typeof s === 'string' && SCOPE.test(s)))];
}

/** `Retry-After` in seconds, as milliseconds; undefined when absent or odd. */
function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  const header = headers?.['retry-after'] ?? headers?.['Retry-After'];
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= 3600 ? Math.round(seconds * 1000) : undefined;
}
