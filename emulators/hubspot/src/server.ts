// The emulator's HTTP server. Every request outside /_emulator is a HubSpot API call: it waits the configured
// latency, then consumes a pending fault (delay and/or error), then must carry a token with the path's scopes, then
// passes HubSpot's throttling; only then is it routed. Control routes skip all of that.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { authorize } from './auth';
import { HubSpotError, unknownPath, validationError } from './errors';
import { faultError } from './faults';
import { isControlUrl, isSearch, pathOf, scopesFor, sendJson } from './http';
import { registerApiRoutes } from './routes/api';
import { registerControlRoutes } from './routes/control';
import { HubSpotState, type StateOptions } from './state';

export interface HubSpotEmulatorOptions extends StateOptions {
  /** Default 0: a free port (tests); main.ts passes 4243. */
  port?: number;
  /** Default 127.0.0.1: the emulator's tokens are well known, so it stays off the network. */
  host?: string;
}

export interface HubSpotEmulator {
  /** `http://127.0.0.1:<port>`: the client's basePath (no trailing slash). */
  url: string;
  port: number;
  state: HubSpotState;
  close(): Promise<void>;
}

export async function startHubSpotEmulator(options: HubSpotEmulatorOptions = {}): Promise<HubSpotEmulator> {
  const state = new HubSpotState(options);
  const app = buildApp(state);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const close = async () => {
    await state.webhooks.stop();
    await app.close();
  };
  return { url: `http://${reachable}:${port}`, port, state, close };
}

export function buildApp(state: HubSpotState): FastifyInstance {
  // Node refuses request heads over 16 KiB by itself; a larger ceiling lets our own URL limit answer instead.
  const app = Fastify({ logger: false, http: { maxHeaderSize: 256 * 1024 } });
  addApiHooks(app, state);
  registerApiRoutes(app, state);
  registerControlRoutes(app, state);
  addFallbacks(app);
  return app;
}

function addApiHooks(app: FastifyInstance, state: HubSpotState): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isControlUrl(request.url)) {
      return;
    }
    const path = pathOf(request.url);
    // HubSpot's clock is the emulator's (Node would stamp its own): clients take the time from the Date header.
    reply.header('date', new Date(state.clock.nowMs()).toUTCString());
    if (request.url.length > state.maxUrlLength) {
      return reply
        .code(414)
        .header('Content-Type', 'text/html')
        .send('<html><body><h1>414 Request-URI Too Large</h1></body></html>');
    }
    if (state.latencyMs > 0) {
      await sleep(state.latencyMs);
    }
    const fault = state.faults.take(path);
    if (fault?.delayMs) {
      await sleep(fault.delayMs);
    }
    const error = fault && faultError(fault, `publicapi:private-app:${state.portalId}`);
    if (error) {
      throw error;
    }
    authorize(state.tokens, request.headers.authorization, scopesFor(path));
    const day = new Date(state.clock.nowMs()).toISOString().slice(0, 10);
    reply.headers(state.throttle.admit(isSearch(path), performance.now(), day));
  });
}

/** Unknown URLs and thrown errors: HubSpot's shapes on the API, plain `{ error }` on the control routes. */
function addFallbacks(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    if (isControlUrl(request.url)) {
      return sendJson(reply, 404, { error: `no control endpoint ${request.method} ${pathOf(request.url)}` });
    }
    return sendHubSpotError(reply, unknownPath(request.method, pathOf(request.url)));
  });
  app.setErrorHandler((error: FastifyError | HubSpotError | RangeError, request, reply) => {
    if (isControlUrl(request.url)) {
      const status =
        error instanceof HubSpotError
          ? error.status
          : error instanceof RangeError
            ? 400
            : 'statusCode' in error
              ? (error.statusCode ?? 500)
              : 500;
      return sendJson(reply, status, { error: error.message });
    }
    if (error instanceof HubSpotError) {
      return sendHubSpotError(reply, error);
    }
    // Fastify's own refusals (a body that is not JSON, …) in HubSpot's shape.
    const status = 'statusCode' in error ? (error.statusCode ?? 500) : 500;
    return sendHubSpotError(
      reply,
      status < 500
        ? validationError(`Invalid input JSON: ${error.message}`)
        : new HubSpotError(500, 'internal error', { category: 'INTERNAL_ERROR' }),
    );
  });
}

function sendHubSpotError(reply: import('fastify').FastifyReply, error: HubSpotError) {
  reply.headers(error.headers);
  return sendJson(reply, error.status, error.body());
}
