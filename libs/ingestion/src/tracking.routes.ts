import type { PolicyHandler } from '@app/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestionService } from './ingestion.service';
import type { ItemResult } from './item-result';
import type { CompiledPlan } from './plan-check';
import { RateLimitedError, type SourceRateLimit } from './rate-gate';
import { rateLimitedAnswer } from './rate-limit-answer';
import { type DecodedBody, decodeTrackingBody } from './tracking-body';
import { MAX_WIRE_BYTES } from './tracking-limits';
import { isObject } from './tracking-message';
import { originAllowed } from './tracking-origins';
import { type TrackingEndpoint, splitTrackingRequest } from './tracking-request';
import { urlWriteKey } from './url-write-key';

/** What the app learns from a write key (apps/ingest composes it from the sources domain). */
export type WriteKeyResolution =
  | {
      ok: true;
      sourceId: string;
      allowedOrigins: readonly string[];
      rateLimit?: SourceRateLimit;
      /** The source's compiled tracking plan; absent or null for ALLOW (nothing checked). */
      plan?: CompiledPlan | null;
    }
  | { ok: false; status: 401 | 403 | 422; reason: string };
export type WriteKeyResolver = (writeKey: string) => Promise<WriteKeyResolution>;

/** Segment's paths, then the short ones its own clients use (analytics-next `/t`, the mobile SDKs `/b`). */
export const TRACKING_PATHS: Readonly<Record<string, TrackingEndpoint>> = {
  identify: 'identify',
  track: 'track',
  page: 'page',
  screen: 'screen',
  group: 'group',
  alias: 'alias',
  batch: 'batch',
  import: 'batch',
  i: 'identify',
  t: 'track',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
  b: 'batch',
};

// The source the write-key policy resolved, for the route's handler; gone with the request.
const resolvedSource = new WeakMap<FastifyRequest, ResolvedSource>();

interface ResolvedSource {
  sourceId: string;
  rateLimit?: SourceRateLimit;
  plan?: CompiledPlan | null;
}

/**
 * The `writeKey` route policy: the key is the HTTP Basic username (empty password) or `writeKey` in the
 * JSON body; then the browser Origin, if any, must be one the source allows. Refusals are 401/403 with a
 * reason that never repeats the key.
 */
export function trackingWriteKeyPolicy(resolve: WriteKeyResolver): PolicyHandler {
  return async (req, reply) => {
    const key = presentedWriteKey(req);
    if (!key) {
      await reply
        .code(401)
        .send(refusal('Send the source’s write key as the HTTP Basic username or as writeKey in the body'));
      return;
    }
    const resolution = await resolve(key);
    if (!resolution.ok) {
      await reply.code(resolution.status).send(refusal(resolution.reason));
      return;
    }
    const origin = req.headers.origin;
    if (!originAllowed(origin, resolution.allowedOrigins)) {
      await reply
        .code(403)
        .send(refusal(`Origin ${origin} may not send events to this source: add it to trackingConfig.allowedOrigins`));
      return;
    }
    const { sourceId, rateLimit, plan } = resolution;
    resolvedSource.set(req, { sourceId, rateLimit, plan });
  };
}

export interface TrackingRouteOptions {
  ingestion: () => IngestionService;
  /** The server's clock (receivedAt); tests move it. */
  clock?: () => Date;
}

/**
 * `POST /v1/<call>` for every Segment call and short path, plus the generic CORS preflight. Bodies are
 * JSON, text/plain (sendBeacon) or gzip/deflate-compressed JSON; the answer comes after the commit.
 */
export function registerTrackingRoutes(fastify: FastifyInstance, options: TrackingRouteOptions): void {
  const clock = options.clock ?? (() => new Date());
  void fastify.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WIRE_BYTES }, (_req, body, parsed) =>
      parsed(null, body),
    );
    // Callback-style hooks here: an async hook costs a promise per request on the hot path.
    scope.addHook('onSend', (req, reply, payload, done) => {
      allowBrowserReads(req, reply);
      done(null, payload);
    });
    // Preflights carry no key, so they are answered for any origin; the POST itself is checked.
    scope.options('/v1/*', { config: { auth: 'public' } }, async (_req, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type, content-encoding')
        .header('access-control-max-age', '86400')
        .send(),
    );
    for (const [path, endpoint] of Object.entries(TRACKING_PATHS)) {
      scope.post(
        `/v1/${path}`,
        { config: { auth: 'writeKey' }, bodyLimit: MAX_WIRE_BYTES, preValidation: decodeBody },
        async (req, reply) => {
          const source = resolvedSource.get(req);
          if (!source) {
            return reply.code(500).send(refusal('The write key was not checked'));
          }
          return answer(reply, endpoint, await track(options.ingestion(), source, endpoint, req.body, clock()));
        },
      );
    }
    done();
  });
}

type Outcome =
  | { kind: 'refused'; status: number; body: Record<string, unknown>; headers?: Record<string, string> }
  | { kind: 'stored'; results: ItemResult[] };

async function track(
  ingestion: IngestionService,
  { sourceId, rateLimit, plan }: ResolvedSource,
  endpoint: TrackingEndpoint,
  body: unknown,
  receivedAt: Date,
): Promise<Outcome> {
  const split = splitTrackingRequest(body, endpoint, receivedAt);
  if (!split.ok) {
    ingestion.recordRefusal(sourceId, { ...split, messageId: null }, body);
    return {
      kind: 'refused',
      status: split.status,
      body: { ...refusal(split.reason), code: split.code, field: split.field },
    };
  }
  const [single] = split.items;
  if (endpoint !== 'batch' && !single.ok) {
    ingestion.recordRefusal(sourceId, { ...single, messageId: single.messageId ?? null }, body);
    const status = single.code === 'too_large' ? 413 : 400;
    return { kind: 'refused', status, body: { ...refusal(single.reason), code: single.code, field: single.field } };
  }
  try {
    const raw = endpoint === 'batch' && isObject(body) && Array.isArray(body.batch) ? body.batch : [body];
    const results = await ingestion.ingest(sourceId, split.items, rateLimit, plan, raw);
    return { kind: 'stored', results };
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return { kind: 'refused', status: 429, ...rateLimitedAnswer(error.verdict) };
    }
    throw error;
  }
}

function answer(reply: FastifyReply, endpoint: TrackingEndpoint, outcome: Outcome): FastifyReply {
  if (outcome.kind === 'refused') {
    return reply
      .code(outcome.status)
      .headers(outcome.headers ?? {})
      .send(outcome.body);
  }
  const { results } = outcome;
  if (endpoint !== 'batch') {
    return reply.code(200).send({ success: true, ...results[0] });
  }
  const count = (status: ItemResult['status']): number => results.filter((r) => r.status === status).length;
  return reply.code(200).send({
    success: true,
    accepted: count('accepted'),
    duplicate: count('duplicate'),
    rejected: count('rejected'),
    quarantined: count('quarantined'),
    results,
  });
}

/** A refusal answers at once (done is then not called, as Fastify wants of a hook that replies). */
function decodeBody(req: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const apply = (decoded: DecodedBody): void => {
    if (!decoded.ok) {
      void reply.code(decoded.status).send(refusal(decoded.reason));
      return;
    }
    req.body = decoded.value;
    done();
  };
  const decoded = decodeTrackingBody(raw, {
    contentType: req.headers['content-type'],
    contentEncoding: header(req.headers['content-encoding']),
  });
  if (decoded instanceof Promise) {
    decoded.then(apply, done);
  } else {
    apply(decoded);
  }
}

/** Browsers may read every answer (the reason of a refusal included); nothing here is a secret. */
function allowBrowserReads(req: FastifyRequest, reply: FastifyReply): void {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  }
}

/** The key a request presents: HTTP Basic username, else `writeKey` in the body, else in a config URL. */
export function presentedWriteKey(req: FastifyRequest): string | undefined {
  return basicUsername(req.headers.authorization) ?? bodyWriteKey(req.body) ?? urlWriteKey(req);
}

function basicUsername(authorization: string | undefined): string | undefined {
  const match = /^basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const username = colon < 0 ? decoded : decoded.slice(0, colon);
  return username || undefined;
}

function bodyWriteKey(body: unknown): string | undefined {
  return isObject(body) && typeof body.writeKey === 'string' && body.writeKey ? body.writeKey : undefined;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function refusal(reason: string): { success: false; error: string } {
  return { success: false, error: reason };
}
