import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

/** The browser SDK's stable URL: `v1` changes only with an incompatible API, so snippets never break. */
export const SDK_URL_PATH = '/sdk/v1/tributary.min.js';

// Browsers and CDNs keep it an hour, then revalidate with If-None-Match (a 304 costs no body).
const CACHE_CONTROL = 'public, max-age=3600';

export interface SdkFileRouteOptions {
  /** packages/browser/dist/tributary.min.js, written by `npm run build`. */
  file: string;
}

interface Loaded {
  mtimeMs: number;
  body: Buffer;
  etag: string;
}

/**
 * Serves the browser SDK (public: pages load it before they know anything). The file is read when it
 * changes (a rebuild under `npm run dev` shows without a restart); when it was never built, ingest still
 * runs and answers 503 saying how to build it.
 */
export function registerSdkFileRoutes(fastify: FastifyInstance, options: SdkFileRouteOptions): void {
  let loaded: Loaded | null = null;
  const current = async (): Promise<Loaded | null> => {
    const info = await stat(options.file).catch(() => null);
    if (!info) {
      return null;
    }
    if (loaded?.mtimeMs !== info.mtimeMs) {
      const body = await readFile(options.file);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      loaded = { mtimeMs: info.mtimeMs, body, etag };
    }
    return loaded;
  };
  fastify.get(SDK_URL_PATH, { config: { auth: 'public' } }, async (req: FastifyRequest, reply: FastifyReply) => {
    const file = await current();
    if (!file) {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .header('retry-after', '60')
        .type('text/plain; charset=utf-8')
        .send('The browser SDK is not built on this server: run `npm run build` (or `npm run build:browser`)\n');
    }
    void reply.header('etag', file.etag).header('cache-control', CACHE_CONTROL);
    if (notModified(req.headers['if-none-match'], file.etag)) {
      return reply.code(304).send();
    }
    return reply.type('text/javascript; charset=utf-8').send(file.body);
  });
}

function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) {
    return false;
  }
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}
