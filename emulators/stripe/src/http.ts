// Response helpers shared by the API and control routes.
import type { FastifyReply } from 'fastify';
import { StripeApiError } from './errors';

/** The API version stripe-node 23.1 pins and sends; echoed when a request names none (§1.1). */
export const PINNED_API_VERSION = '2026-10-28.endive';

export const CONTROL_PREFIX = '/_emulator';

export function isControlUrl(url: string): boolean {
  return url === CONTROL_PREFIX || url.startsWith(`${CONTROL_PREFIX}/`) || url.startsWith(`${CONTROL_PREFIX}?`);
}

export function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}

/**
 * Stripe pretty-prints its JSON with two spaces and sends `Content-Type: application/json` without a
 * charset; so do we, so captured responses look alike (a Buffer keeps Fastify from adding the charset).
 */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('Content-Type', 'application/json')
    .send(Buffer.from(`${JSON.stringify(body, null, 2)}\n`));
}

/** Stripe's error response; 400/404 link the (emulated) dashboard request log as Stripe does. */
export function sendStripeError(reply: FastifyReply, error: StripeApiError, nowSeconds: number): FastifyReply {
  const requestId = reply.getHeader('request-id');
  const logUrl =
    (error.status === 400 || error.status === 404) && typeof requestId === 'string'
      ? `https://dashboard.stripe.com/test/logs/${requestId}?t=${nowSeconds}`
      : undefined;
  reply.headers(error.headers);
  return sendJson(reply, error.status, error.body(logUrl));
}

/** Any other error on an API route, answered in Stripe's shape (a 4xx stays a 400, the rest is a 500). */
export function asStripeError(error: { statusCode?: number; message: string }): StripeApiError {
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new StripeApiError(400, error.message);
  }
  return new StripeApiError(500, 'An unknown error occurred', { type: 'api_error' });
}
