// HubSpot's error answers (cloud-apis.md §2.1, §2.6): `{status:"error", message, correlationId, category, ...}`,
// thrown anywhere while serving the API and written once by the server's error handler.
import { correlationId } from './random';

export class HubSpotError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Fields after `message`/`correlationId`, e.g. category, errors, policyName. */
    readonly fields: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { status: 'error', message: this.message, correlationId: correlationId(), ...this.fields };
  }
}

/** A missing or unknown token, word for word as HubSpot answers it, with `x-hubspot-auth-failure`. */
export function invalidAuthentication(): HubSpotError {
  return new HubSpotError(
    401,
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    { category: 'INVALID_AUTHENTICATION' },
    { 'x-hubspot-auth-failure': '401 Unauthorized' },
  );
}

/** A token without the scope the call needs; the body names it. */
export function missingScopes(scopes: string[]): HubSpotError {
  return new HubSpotError(
    403,
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        { message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: scopes } },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
      category: 'MISSING_SCOPES',
    },
  );
}

/** A 400 VALIDATION_ERROR; `errors` details each problem as HubSpot does. */
export function validationError(
  message: string,
  errors: { message: string; code?: string; in?: string }[] = [],
): HubSpotError {
  return new HubSpotError(400, message, { category: 'VALIDATION_ERROR', ...(errors.length > 0 ? { errors } : {}) });
}

export function objectNotFound(): HubSpotError {
  return new HubSpotError(404, 'Object not found.', { category: 'OBJECT_NOT_FOUND' });
}

export function unknownPath(method: string, path: string): HubSpotError {
  return new HubSpotError(404, `Unable to route ${method} ${path}.`, { category: 'RESOURCE_NOT_FOUND' });
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

const RATE_LIMIT_MESSAGES: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};

/** HubSpot's 429 (§2.6); `retryAfterSeconds` only when the emulator is told to send Retry-After. */
export function rateLimited(policy: RateLimitPolicy, groupName: string, retryAfterSeconds?: number): HubSpotError {
  return new HubSpotError(
    429,
    RATE_LIMIT_MESSAGES[policy],
    { errorType: 'RATE_LIMIT', policyName: policy, groupName },
    retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function internalError(): HubSpotError {
  return new HubSpotError(500, 'internal error', { category: 'INTERNAL_ERROR' });
}
