// The emulator's HTTP server. `POST /admin/api/{version}/graphql.json` is the Admin API: it waits the configured
// latency, consumes a pending fault, needs a known X-Shopify-Access-Token, then runs the GraphQL request (graphql.ts).
// `GET /bulk-results/{id}.jsonl` serves bulk results (as Shopify's signed storage URLs do, without a token).
// Control routes under /_emulator skip all of that.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { authorize } from './auth';
import { gatewayError, restThrottled, ShopifyHttpError, throttledError } from './errors';
import { type GraphqlRequest, runGraphql } from './graphql';
import { isControlUrl, sendJson } from './http';
import { registerControlRoutes } from './routes/control';
import { ShopState, type StateOptions } from './state';
import { servingVersion } from './versions';

export interface ShopifyEmulatorOptions extends StateOptions {
  /** Default 0: a free port (tests); main.ts passes 4244. */
  port?: number;
  /** Default 127.0.0.1: the emulator's tokens are well known, so it stays off the network. */
  host?: string;
}

export interface ShopifyEmulator {
  /** `http://127.0.0.1:<port>`: the client's storeDomain (see README for the https rewrite). */
  url: string;
  port: number;
  state: ShopState;
  close(): Promise<void>;
}

/** How often running bulk operations are moved along the clock (and their webhooks sent). */
const BULK_TICK_MS = 20;

export async function startShopifyEmulator(options: ShopifyEmulatorOptions = {}): Promise<ShopifyEmulator> {
  const state = new ShopState(options);
  const app = buildApp(state);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${reachable}:${port}`;
  state.baseUrl = url;
  const ticker = setInterval(() => state.bulk.tick(), BULK_TICK_MS);
  ticker.unref();
  const close = async () => {
    clearInterval(ticker);
    await state.webhooks.stop();
    await app.close();
  };
  return { url, port, state, close };
}

export function buildApp(state: ShopState): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  app.post<{ Params: { version: string }; Body: GraphqlRequest | undefined }>(
    '/admin/api/:version/graphql.json',
    async (request, reply) => {
      const version = servingVersion(request.params.version, state.versions);
      reply.header('X-Shopify-API-Version', version);
      // The shop's clock is the emulator's (Node would stamp its own): clients take the shop's time from Date.
      reply.header('date', new Date(state.clock.nowMs()).toUTCString());
      if (state.latencyMs > 0) {
        await sleep(state.latencyMs);
      }
      const fault = state.faults.take();
      if (fault?.delayMs) {
        await sleep(fault.delayMs);
      }
      if (fault?.status) {
        throw fault.status === 429 ? restThrottled(fault.retryAfter) : gatewayError(fault.status);
      }
      const scopes = authorize(state.tokens, request.headers['x-shopify-access-token']);
      state.bulk.tick();
      if (fault?.throttled) {
        const cost = { requestedQueryCost: 0, actualQueryCost: null, throttleStatus: state.bucket.status() };
        return sendJson(reply, 200, { errors: [throttledError().toJSON()], extensions: { cost } });
      }
      const answer = runGraphql(state, request.body ?? {}, scopes, version);
      return sendJson(reply, answer.status, answer.body);
    },
  );
  app.get<{ Params: { file: string } }>('/bulk-results/:file', (request, reply) => {
    const match = /^(\d+)\.jsonl$/.exec(request.params.file);
    const file = match ? state.bulk.file(Number(match[1])) : undefined;
    if (!file) {
      return reply.code(404).header('Content-Type', 'application/xml').send('<Error><Code>NoSuchKey</Code></Error>');
    }
    if ('expired' in file) {
      return reply
        .code(400)
        .header('Content-Type', 'application/xml')
        .send('<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>');
    }
    return reply.code(200).header('Content-Type', 'application/jsonl').send(file.jsonl);
  });
  registerControlRoutes(app, state);
  addFallbacks(app);
  return app;
}

/** Unknown URLs and thrown errors: Shopify's shapes on the API, plain `{ error }` on the control routes. */
function addFallbacks(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    if (isControlUrl(request.url)) {
      return sendJson(reply, 404, { error: `no control endpoint ${request.method} ${request.url}` });
    }
    return sendJson(reply, 404, { errors: 'Not Found' });
  });
  app.setErrorHandler((error: FastifyError | ShopifyHttpError | RangeError, request, reply) => {
    if (error instanceof ShopifyHttpError) {
      reply.headers(error.headers);
      return typeof error.body === 'string'
        ? reply.code(error.status).header('Content-Type', 'text/html').send(error.body)
        : sendJson(reply, error.status, error.body);
    }
    const status = error instanceof RangeError ? 400 : 'statusCode' in error ? (error.statusCode ?? 500) : 500;
    if (isControlUrl(request.url)) {
      return sendJson(reply, status, { error: error.message });
    }
    // Fastify's own refusals (a body that is not JSON, …): Shopify answers these 400 with a plain errors string.
    return sendJson(reply, status, { errors: status < 500 ? error.message : 'Internal Server Error' });
  });
}
