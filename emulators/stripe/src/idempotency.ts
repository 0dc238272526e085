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

  save({ id, fingerprint }: Claim, status: number, body: unknown): void {
    this.saved.set(id, { fingerprint, status, body, savedAt: this.nowSeconds() });
  }

  clear(): void {
    this.saved.clear();
  }
}

/** Echoes the key on every API response; replays or refuses before the route, saves after it. */
export function addIdempotencyHooks(app: FastifyInstance, state: EmulatorState): void {
  const claims = new WeakMap<FastifyRequest, Claim>();
  app.addHook('onRequest', async (request, reply) => {
    const key = idempotencyKey(request);
    if (key !== undefined) {
      reply.header('Idempotency-Key', key);
    }
  });
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

/** Keys are per account; the request is its method, URL (DELETE parameters) and parsed body (POST parameters). */
function claimOf(request: FastifyRequest, state: EmulatorState): Claim | undefined {
  const key = idempotencyKey(request);
  if (key === undefined || (request.method !== 'POST' && request.method !== 'DELETE')) {
    return undefined;
  }
  const account = state.accounts.accountOf(apiKey(request.headers.authorization)!);
  const fingerprint = `${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`;
  return { id: `${account}\n${key}`, key, fingerprint };
}
