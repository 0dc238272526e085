// Idempotent requests (cloud-apis.md §1.7): a POST or DELETE with an `Idempotency-Key` saves its status and body
// for 24 hours of the emulator's clock, per account. The same key with the same method, URL and parameters
// replays them (`Idempotent-Replayed: true`) without running the write again; with anything else it is a 400
// `idempotency_error`. Only requests that reached their route are saved: an injected fault or a refused key
// ran nothing, so a retry with the same key runs the write, as Stripe's saved-once-executing rule has it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiKey } from './auth';
import { StripeApiError } from './errors';
import { isControlUrl } from './http';
import type { EmulatorState } from './state';

export const IDEMPOTENCY_SECONDS = 86_400;

interface Saved {
  fingerprint: string;
  status: number;
  body: unknown;
  savedAt: number;
}

interface Claim {
  id: string;
  key: string;
  fingerprint: string;
}

export class IdempotencyStore {
  private readonly saved = new Map<string, Saved>();
  /** Keys (per account) whose first request is still being answered, e.g. waiting out latency or a slow fault. */
  private readonly running = new Map<string, object>();

  constructor(private readonly nowSeconds: () => number) {}

  /** The saved response for this key of this account, if one is still kept; throws if its request differs. */
  lookup({ id, key, fingerprint }: Claim): Saved | undefined {
    const saved = this.saved.get(id);
    if (!saved || saved.savedAt < this.nowSeconds() - IDEMPOTENCY_SECONDS) {
      this.saved.delete(id);
      return undefined;
    }
    if (saved.fingerprint !== fingerprint) {
      throw new StripeApiError(
        400,
        `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
          `Try using a key other than '${key}' if you meant to execute a different request.`,
        { type: 'idempotency_error' },
      );
    }
    return saved;
  }

  /** Marks the key in flight for `request`; throws Stripe's 409 when another request with it still runs. */
  enter(id: string, key: string, request: object): void {
    if (this.running.has(id)) {
      throw keyInUse(key);
    }
    this.running.set(id, request);
  }

  leave(id: string, request: object): void {
    if (this.running.get(id) === request) {
      this.running.delete(id);
    }
  }

  save({ id, fingerprint }: Claim, status: number, body: unknown): void {
    this.saved.set(id, { fingerprint, status, body, savedAt: this.nowSeconds() });
  }

  clear(): void {
    this.saved.clear();
  }
}

/** Echoes the key on every API response; replays or refuses a reused key before the route, saves after it; a key
 * is released once its request is answered (or abandoned). */
export function addIdempotencyHooks(app: FastifyInstance, state: EmulatorState): void {
  const claims = new WeakMap<FastifyRequest, Claim>();
  app.addHook('onRequest', async (request, reply) => {
    const key = idempotencyKey(request);
    if (key !== undefined) {
      reply.header('Idempotency-Key', key);
    }
  });
  const leave = (request: FastifyRequest, done: () => void) => {
    const key = idempotencyKey(request);
    if (key !== undefined) {
      state.idempotency.leave(claimId(request, state, key), request);
    }
    done();
  };
  app.addHook('onResponse', (request, _reply, done) => leave(request, done));
  app.addHook('onRequestAbort', (request, done) => leave(request, done));
  app.addHook('preHandler', async (request, reply) => {
    const claim = claimOf(request, state);
    const saved = claim && state.idempotency.lookup(claim);
    if (saved) {
      return replay(reply, saved);
    }
    if (claim) {
      claims.set(request, claim);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (claim) {
      state.idempotency.save(claim, reply.statusCode, payload);
    }
    return payload;
  });
}

function replay(reply: FastifyReply, saved: Saved): FastifyReply {
  return reply
    .code(saved.status)
    .header('Idempotent-Replayed', 'true')
    .header('Content-Type', 'application/json')
    .send(saved.body);
}

function idempotencyKey(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && !isControlUrl(request.url) ? key : undefined;
}

/** Called first thing for an API request (server.ts): a write's key is in flight until its response went out.
 * A second request with it meanwhile gets Stripe's 409, which stripe-node retries with the same key. */
export function enterIdempotent(request: FastifyRequest, state: EmulatorState): void {
  const key = idempotencyKey(request);
  if (key !== undefined && isWrite(request)) {
    state.idempotency.enter(claimId(request, state, key), key, request);
  }
}

/** Keys are per account; the request is its method, URL (DELETE parameters) and parsed body (POST parameters). */
function claimOf(request: FastifyRequest, state: EmulatorState): Claim | undefined {
  const key = idempotencyKey(request);
  if (key === undefined || !isWrite(request)) {
    return undefined;
  }
  const fingerprint = `${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`;
  return { id: claimId(request, state, key), key, fingerprint };
}

function isWrite(request: FastifyRequest): boolean {
  return request.method === 'POST' || request.method === 'DELETE';
}

function claimId(request: FastifyRequest, state: EmulatorState, key: string): string {
  return `${state.accounts.accountOf(apiKey(request.headers.authorization) ?? '')}\n${key}`;
}

/** Stripe's 409 for a key whose first request is still running (cloud-apis.md §1.7; the code is Stripe's
 * `idempotency_key_in_use`, the wording close to Stripe's). */
function keyInUse(key: string): StripeApiError {
  return new StripeApiError(
    409,
    `There is currently another in-progress request using this Idempotency-Key (that probably means you ` +
      `submitted twice, and the other request is still going through): ${key}. Please try again later.`,
    { code: 'idempotency_key_in_use' },
  );
}
