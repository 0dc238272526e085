import type { FastifyRequest } from 'fastify';

/**
 * A write key carried in the URL, which only the clients' config fetches do: analytics-next's settings
 * path (`/v1/projects/<writeKey>/settings`, the `writeKey` route parameter) and RudderStack's
 * `GET /sourceConfig/?writeKey=…`. Event POSTs keep the key out of URLs. Logs redact both forms.
 */
export function urlWriteKey(req: FastifyRequest): string | undefined {
  const fromPath = (req.params as Record<string, unknown> | undefined)?.writeKey;
  if (typeof fromPath === 'string' && fromPath) {
    return fromPath;
  }
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.writeKey;
  return req.method === 'GET' && typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined;
}
