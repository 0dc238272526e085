import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ClientSource, rudderSourceConfig, segmentSettings } from './client-config';
import { presentedWriteKey } from './tracking.routes';

/** The source behind a write key the route policy already accepted; null if it vanished since. */
export type ClientSourceLookup = (writeKey: string) => Promise<ClientSource | null>;

export interface ClientConfigRouteOptions {
  lookup: ClientSourceLookup;
  /** INGEST_PUBLIC_URL: where the configs tell clients to send events. */
  publicUrl: string;
}

// The JS SDK asks `/sourceConfig/?…`, the mobile SDKs `/sourceConfig?…`: Fastify tells them apart.
const RUDDER_PATHS = ['/sourceConfig', '/sourceConfig/'] as const;

/**
 * The config fetches existing SDKs make before sending, behind the `writeKey` policy (so an unknown key
 * is 401, a paused source 403, a browser Origin the source does not allow 403, each with a reason):
 * `GET /v1/projects/<writeKey>/settings` (analytics-next with `cdnURL` = ingest) and `GET /sourceConfig`
 * (RudderStack, key as Basic username or `?writeKey=`). Browsers may read the answers (CORS).
 */
export function registerClientConfigRoutes(fastify: FastifyInstance, options: ClientConfigRouteOptions): void {
  const serve = (build: (key: string, source: ClientSource) => Record<string, unknown>) => {
    return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const key = presentedWriteKey(req) ?? '';
      const source = await options.lookup(key);
      if (!source) {
        return reply.code(401).send({ success: false, error: 'Unknown, revoked or expired write key' });
      }
      // A setting change must reach the next page load: browsers and proxies keep no copy.
      return reply.header('cache-control', 'no-store').send(build(key, source));
    };
  };
  void fastify.register((scope, _options, done) => {
    scope.addHook('onSend', async (req, reply) => {
      if (req.headers.origin !== undefined) {
        void reply.header('access-control-allow-origin', req.headers.origin).header('vary', 'Origin');
      }
    });
    scope.get(
      '/v1/projects/:writeKey/settings',
      { config: { auth: 'writeKey' } },
      serve((key, source) => segmentSettings(key, source, options.publicUrl)),
    );
    for (const path of RUDDER_PATHS) {
      scope.get(
        path,
        { config: { auth: 'writeKey' } },
        serve((key, source) => rudderSourceConfig(key, source, options.publicUrl)),
      );
      // The JS SDK sends its key as a Basic header, so its GET is preflighted; preflights carry no key.
      scope.options(path, { config: { auth: 'public' } }, async (_req, reply) =>
        reply
          .code(204)
          .header('access-control-allow-methods', 'GET, OPTIONS')
          .header('access-control-allow-headers', 'authorization, content-type')
          .header('access-control-max-age', '86400')
          .send(),
      );
    }
    done();
  });
}
