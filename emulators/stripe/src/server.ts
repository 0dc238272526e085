// The emulator's HTTP server. Every request outside /_emulator is treated as a Stripe API call: it gets
// `Request-Id` and `Stripe-Version`, then waits the configured latency, then consumes a pending fault (delay
// and/or error), then must carry a usable key; only then is it routed. That order means an injected 429 hits even an unauthenticated call.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiKey, authenticate, isTestKey } from './auth';
import { StripeApiError, unrecognizedUrl } from './errors';
import { faultError } from './faults';
import { parseForm } from './form';
import { addIdempotencyHooks, enterIdempotent } from './idempotency';
import { asStripeError, isControlUrl, pathOf, PINNED_API_VERSION, sendJson, sendStripeError } from './http';
import { requestId } from './ids';
import { registerApiRoutes } from './routes/api';
import { registerControlRoutes } from './routes/control';
import { registerWebhookRoutes } from './routes/webhooks';
import { registerWriteRoutes } from './routes/writes';
import { EmulatorState, type StateOptions } from './state';

export interface StripeEmulatorOptions extends StateOptions {
  /** Default 0: a free port (tests); main.ts passes 4242. */
  port?: number;
  /** Default 127.0.0.1: the emulator's keys are well known, so it stays off the network. */
  host?: string;
}

export interface StripeEmulator {
  /** `http://127.0.0.1:<port>`, without the `/v1` that stripe-node adds itself. */
  url: string;
  port: number;
  state: EmulatorState;
  close(): Promise<void>;
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const state = new EmulatorState(options);
  const app = buildApp(state);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const close = async () => {
    await state.webhooks.delivery.stop();
    await app.close();
  };
  return { url: `http://${reachable}:${port}`, port, state, close };
}

export function buildApp(state: EmulatorState): FastifyInstance {
  const app = Fastify({ logger: false });
  // stripe-node sends write parameters as a form body, with bracket keys for hashes (form.ts).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (error) {
      done(error as Error);
    }
  });
  // First, so that the key is echoed even on a fault or a refused key.
  addIdempotencyHooks(app, state);
  addApiHooks(app, state);
  registerApiRoutes(app, state);
  registerWriteRoutes(app, state);
  registerWebhookRoutes(app, state);
  registerControlRoutes(app, state);
  addFallbacks(app, state);
  return app;
}

/** Stripe headers, faults and authentication before routing; statistics after the response. */
function addApiHooks(app: FastifyInstance, state: EmulatorState): void {
  app.addHook('onRequest', async (request, reply) => {
    // Whatever the clock made due since the last request happens first, so every answer sees it.
    state.advanceBilling();
    if (isControlUrl(request.url)) {
      return;
    }
    reply.header('Request-Id', requestId());
    reply.header('Stripe-Version', request.headers['stripe-version'] ?? PINNED_API_VERSION);
    reply.header('Cache-Control', 'no-cache, no-store');
    // Stripe's clock, as Stripe answers with its own: clients judge event retention by it.
    reply.header('Date', new Date(state.clock.nowMs()).toUTCString());
    enterIdempotent(request, state);
    const key = apiKey(request.headers.authorization);
    if (isTestKey(key)) {
      // Counted as it arrives, as Stripe's per-account limiter counts it; monotonic milliseconds.
      state.stats.arrived(state.accounts.accountOf(key), performance.now());
    }
    if (state.latencyMs > 0) {
      await sleep(state.latencyMs);
    }
    const fault = state.faults.take(pathOf(request.url));
    if (fault?.delayMs) {
      await sleep(fault.delayMs);
    }
    const error = fault && faultError(fault);
    if (error) {
      throw error;
    }
    authenticate(request.headers.authorization, state.auth);
    if (!state.rateLimit.admit(state.accounts.accountOf(key!), performance.now())) {
      throw faultError({ status: 429 })!;
    }
    if (fault?.malformed) {
      return sendJson(reply, 200, { object: 'list', data: null, has_more: false, url: pathOf(request.url) });
    }
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (!isControlUrl(request.url)) {
      state.stats.record(request.method, request.routeOptions.url ?? pathOf(request.url), reply.statusCode);
    }
    done();
  });
}

/** Unknown URLs and thrown errors: Stripe's shapes on the API, plain `{ error }` on the control endpoints. */
function addFallbacks(app: FastifyInstance, state: EmulatorState): void {
  app.setNotFoundHandler((request, reply) => {
    if (isControlUrl(request.url)) {
      return sendJson(reply, 404, { error: `no control endpoint ${request.method} ${pathOf(request.url)}` });
    }
    return sendStripeError(reply, unrecognizedUrl(request.method, pathOf(request.url)), state.nowSeconds());
  });
  app.setErrorHandler((error: FastifyError | StripeApiError | RangeError, request, reply) => {
    if (isControlUrl(request.url)) {
      const status = error instanceof RangeError ? 400 : 'statusCode' in error ? (error.statusCode ?? 500) : 500;
      return sendJson(reply, status, { error: error.message });
    }
    const stripeError = error instanceof StripeApiError ? error : asStripeError(error);
    return sendStripeError(reply, stripeError, state.nowSeconds());
  });
}
