import { type ApiTokensService, type AuthFailureLimiter, bearerToken, presentsCredential } from '@app/auth';
import { type Actor, DomainErrorCode, DomainException } from '@app/common';
import type { PolicyHandler } from '@app/http';
import { refuseAsGraphql } from './graphql-refusal';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by the apiToken policy; GqlAuthGuard checks its role per resolver. */
    actor?: Actor;
  }
}

/**
 * The api's `apiToken` policy: authenticates the bearer token once per request and attaches the actor.
 * Refusals are GraphQL-shaped: 401 UNAUTHENTICATED (with `WWW-Authenticate: Bearer`, RFC 6750) saying
 * what to send, or, once a client address (or the whole process) has failed too often, 429
 * TOO_MANY_REQUESTS with Retry-After. The token is always checked first, so a valid one is never slowed.
 */
export function apiTokenPolicy(tokens: () => ApiTokensService, limiter: AuthFailureLimiter): PolicyHandler {
  return async (req, reply) => {
    try {
      req.actor = await tokens().authenticate(bearerToken(req.headers.authorization));
      return;
    } catch (error) {
      if (!(error instanceof DomainException) || error.code !== DomainErrorCode.UNAUTHENTICATED) {
        throw error;
      }
      // Sending no credential is not a failed attempt (GraphiQL's empty "Bearer " header, a first curl).
      const verdict = presentsCredential(req.headers.authorization) ? limiter.recordFailure(req.ip) : undefined;
      if (verdict?.limited) {
        const who = verdict.scope === 'address' ? 'from your address' : 'on this server';
        return refuseAsGraphql(req, reply, {
          status: 429,
          code: 'TOO_MANY_REQUESTS',
          message: `Too many failed authentications ${who}; retry in ${verdict.retryAfterSeconds} s with a valid API token`,
          headers: { 'retry-after': String(verdict.retryAfterSeconds) },
          extra: { retryAfterSeconds: verdict.retryAfterSeconds },
        });
      }
      return refuseAsGraphql(req, reply, {
        status: 401,
        code: 'UNAUTHENTICATED',
        message: error.message,
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
  };
}
