import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { lazyChildLogger } from './lazy-child-logger';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** One id per request: the caller's X-Request-Id when it is sane, else a UUID; shared by Fastify and pino. */
export function requestId(raw: IncomingMessage): string {
  const header = raw.headers['x-request-id'];
  const id = typeof header === 'string' && INCOMING_ID.test(header) ? header : randomUUID();
  (raw as { id?: unknown }).id = id;
  return id;
}

/** Fastify server options that log through the shared pino logger, labelling lines with the request id. */
export function requestLoggingOptions(rootLogger: Logger): {
  genReqId: (raw: IncomingMessage) => string;
  loggerInstance: Logger;
  requestIdLogLabel: string;
  disableRequestLogging: boolean;
  childLoggerFactory: typeof lazyChildLogger;
} {
  return {
    genReqId: requestId,
    loggerInstance: rootLogger,
    requestIdLogLabel: 'requestId',
    // Logged in onResponse (installRequestLogging) instead, so health probes do not flood the log.
    disableRequestLogging: true,
    childLoggerFactory: lazyChildLogger,
  };
}

/** Echoes the request id in `x-request-id` and logs one line per completed request, health probes excepted. */
export function installRequestLogging(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id);
    done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    if (!req.url.startsWith('/health')) {
      req.log.info({ req, res: reply, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
    }
    done();
  });
}
