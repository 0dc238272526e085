// What the writes read from the request itself: the origin their events name, and DELETE parameters.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiKey } from '../auth';
import type { EventOrigin } from '../events/event';
import type { EmulatorState } from '../state';

/** The request an event names (its Request-Id, and the Idempotency-Key the client sent), and the key's account. */
export function origin(request: FastifyRequest, reply: FastifyReply, state: EmulatorState): EventOrigin {
  const id = reply.getHeader('request-id');
  const key = request.headers['idempotency-key'];
  return {
    id: typeof id === 'string' ? id : null,
    idempotency_key: typeof key === 'string' ? key : null,
    account: state.accounts.accountOf(apiKey(request.headers.authorization)!),
  };
}

/** The raw query string of a URL (where stripe-node puts the parameters of a DELETE). */
export function queryOf(url: string): string {
  const start = url.indexOf('?');
  return start === -1 ? '' : url.slice(start + 1);
}
