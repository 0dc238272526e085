import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/**
 * How a route authenticates its caller. Every route of every app must declare one (default deny):
 * - `public`: anyone (health, static assets, the GraphiQL page itself);
 * - `apiToken`: an API token (`Authorization: Bearer trb_…`), the admin edge;
 * - `writeKey`: a source's write key (tracking API);
 * - `signature`: a cloud app's signed request (webhooks).
 */
export const ROUTE_AUTH_POLICIES = ['public', 'apiToken', 'writeKey', 'signature'] as const;
export type RouteAuth = (typeof ROUTE_AUTH_POLICIES)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

/**
 * Applies one non-public policy to a request. Refuse by throwing or by sending a reply (the route's
 * handler then does not run); return normally to let the request through.
 */
export type PolicyHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void> | void;

export interface RoutePolicyOptions {
  /** The handler of each non-public policy this app serves; a route with a policy missing here is refused. */
  handlers: Partial<Record<Exclude<RouteAuth, 'public'>, PolicyHandler>>;
  /**
   * Policies for routes registered by code we do not own (Apollo's `/graphql`), keyed `METHOD /url`
   * (HEAD routes Fastify derives from GET inherit the GET route's config). Anything else must carry
   * `config.auth` itself.
   */
  thirdParty?: Readonly<Record<string, RouteAuth>>;
}

/** Thrown at registration time, so a route without a policy stops the boot instead of serving. */
export class RoutePolicyError extends Error {}

export function isRouteAuth(value: unknown): value is RouteAuth {
  return typeof value === 'string' && (ROUTE_AUTH_POLICIES as readonly string[]).includes(value);
}

/**
 * Installs the policy where every route passes: `onRoute` refuses to register a route without a known
 * policy (or one this app has no handler for), and a `preHandler` applies the route's policy. Call it
 * before any route is registered.
 */
export function installRoutePolicy(fastify: FastifyInstance, options: RoutePolicyOptions): void {
  fastify.addHook('onRoute', (route) => assignPolicy(route, options));
  fastify.addHook('preHandler', async (req, reply) => {
    const auth = req.routeOptions.config.auth;
    // The not-found handler is no route (nothing to protect): let it answer 404.
    if (auth === 'public' || req.is404) {
      return;
    }
    const handler = auth === undefined ? undefined : options.handlers[auth];
    if (!handler) {
      // Unreachable once onRoute ran for the route; refuse rather than serve if it ever happens.
      throw new RoutePolicyError(`No authentication policy applies to ${req.method} ${req.url}`);
    }
    await handler(req, reply);
  });
}

function assignPolicy(route: RouteOptions, options: RoutePolicyOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const declared: unknown = route.config?.auth;
  // Fastify derives a HEAD route from each GET one, copying the options as they were before this hook ran.
  const keys = methods.flatMap((m) => (m === 'HEAD' ? ['HEAD', 'GET'] : [m])).map((m) => `${m} ${route.url}`);
  const fromThirdParty = keys.map((key) => options.thirdParty?.[key]).find(isRouteAuth);
  const auth = isRouteAuth(declared) ? declared : fromThirdParty;
  const where = `${methods.join(',')} ${route.url}`;
  if (auth === undefined) {
    throw new RoutePolicyError(
      `Route ${where} declares no authentication policy: set config.auth to one of ${ROUTE_AUTH_POLICIES.join(', ')}`,
    );
  }
  if (auth !== 'public' && !options.handlers[auth]) {
    throw new RoutePolicyError(`Route ${where} needs the ${auth} policy, which this app does not serve`);
  }
  route.config = { ...(route.config ?? {}), auth };
}
