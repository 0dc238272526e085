import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Refuses a request before GraphQL runs, in the shape GraphQL clients read (GraphiQL shows it as is): no
 * `data`, since nothing was executed, and one error with a stable `extensions.code` and the request id.
 */
export async function refuseAsGraphql(
  req: FastifyRequest,
  reply: FastifyReply,
  refusal: { status: number; code: string; message: string; headers?: Record<string, string>; extra?: object },
): Promise<void> {
  const extensions = { code: refusal.code, ...refusal.extra, requestId: req.id };
  await reply
    .code(refusal.status)
    .headers(refusal.headers ?? {})
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message: refusal.message, extensions }] });
}
