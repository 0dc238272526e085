// Small HTTP helpers shared by the API server and the control routes.
import type { FastifyReply } from 'fastify';

export const CONTROL_PREFIX = '/_emulator';

export function isControlUrl(url: string): boolean {
  return url === CONTROL_PREFIX || url.startsWith(`${CONTROL_PREFIX}/`) || url.startsWith(`${CONTROL_PREFIX}?`);
}

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}
