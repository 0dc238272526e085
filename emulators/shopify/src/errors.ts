// Shopify's error answers (cloud-apis.md §3.1, §3.3): the plain 401 of a bad token, REST-style 429/5xx from the
// edge, and GraphQL errors (HTTP 200) with an `extensions.code`. Wording marked [R] in the reference is a guess.
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';

/** An HTTP answer that is not a GraphQL result (auth, edge throttling, gateway failures). */
export class ShopifyHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

export function invalidToken(): ShopifyHttpError {
  return new ShopifyHttpError(401, {
    errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
  });
}

/** The edge's REST-style throttle: 429 with `Retry-After` in seconds such as `2.0`. */
export function restThrottled(retryAfter = '2.0'): ShopifyHttpError {
  return new ShopifyHttpError(
    429,
    { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
    { 'Retry-After': retryAfter },
  );
}

export function gatewayError(status: 500 | 502 | 503): ShopifyHttpError {
  if (status === 500) {
    return new ShopifyHttpError(500, { errors: 'Internal Server Error' });
  }
  return new ShopifyHttpError(status, status === 502 ? 'Bad Gateway' : 'Service Unavailable');
}

export const RATE_LIMITS_DOC = 'https://shopify.dev/api/usage/rate-limits';

export function throttledError(): GraphQLError {
  return new GraphQLError('Throttled', { extensions: { code: 'THROTTLED', documentation: RATE_LIMITS_DOC } });
}

export function maxCostExceeded(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}).\n\n` +
      `See ${RATE_LIMITS_DOC} for more information on how the\ncost of a query is calculated.\n\n` +
      'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
      'See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n',
    { extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost } },
  );
}

export function accessDenied(field: string, scope: string): GraphQLError {
  return new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: {
      code: 'ACCESS_DENIED',
      documentation: 'https://shopify.dev/api/usage/access-scopes',
      requiredAccess: `\`${scope}\` access scope.`,
    },
  });
}

/** What Shopify answers when its search backend fails, e.g. on an empty filter value (Airbyte #33827). */
export function internalError(): GraphQLError {
  const requestId = randomUUID();
  return new GraphQLError(`Internal error. Looks like something went wrong on our end.\nRequest ID: ${requestId}`, {
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  });
}

export function badRequest(message: string, code = 'BAD_REQUEST'): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** An emulator limit, not Shopify's: a root field the emulator has no resolver for. */
export function notEmulated(field: string): GraphQLError {
  return new GraphQLError(`The Shopify emulator does not implement ${field}`, {
    extensions: { code: 'NOT_EMULATED' },
  });
}
