import type { ApiTokensService, AuthFailureLimiter } from '@app/auth';
import { installRoutePolicy, type RouteAuth } from '@app/http';
import type { FastifyInstance } from 'fastify';
import { apiTokenPolicy } from './api-token.policy';

export interface ApiRoutePolicyDeps {
  /** Resolved per request: the Nest container that holds it is built after the policy is installed. */
  tokens: () => ApiTokensService;
  limiter: AuthFailureLimiter;
}

/**
 * Default deny for every route of the api (libs/http): our own routes declare `config.auth` (health and
 * GraphiQL are public); Apollo's, which it registers itself, get theirs here. Install before any route.
 */
export function installApiRoutePolicy(fastify: FastifyInstance, graphqlPath: string, deps: ApiRoutePolicyDeps): void {
  // Apollo registers GET, POST and OPTIONS as one route, so they share one policy. OPTIONS needs the token
  // too: no CORS is configured (GraphiQL is same-origin), so a preflight has nothing to allow.
  const thirdParty: Record<string, RouteAuth> = {
    [`GET ${graphqlPath}`]: 'apiToken',
    [`POST ${graphqlPath}`]: 'apiToken',
    [`OPTIONS ${graphqlPath}`]: 'apiToken',
  };
  installRoutePolicy(fastify, { handlers: { apiToken: apiTokenPolicy(deps.tokens, deps.limiter) }, thirdParty });
}
