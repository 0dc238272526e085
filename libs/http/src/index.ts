export {
  installRoutePolicy,
  isRouteAuth,
  type PolicyHandler,
  ROUTE_AUTH_POLICIES,
  type RouteAuth,
  RoutePolicyError,
  type RoutePolicyOptions,
} from './route-policy';
export { listRoutes, type RegisteredRoute } from './route-list';
export { installRequestLogging, requestId, requestLoggingOptions } from './request-logging';
