import type { FastifyInstance, RouteOptions } from 'fastify';
import type { RouteAuth } from './route-policy';

export interface RegisteredRoute {
  method: string;
  url: string;
  auth: RouteAuth | undefined;
}

/**
 * Records every route as Fastify registers it (after the policy hook ran), so tests can walk the app's
 * own route list, including routes added by code we do not own. Call before routes are registered.
 */
export function listRoutes(fastify: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({ method, url: route.url, auth: route.config?.auth });
    }
  });
  return routes;
}
