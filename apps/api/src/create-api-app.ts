import { DomainException } from '@app/common';
import type { AppConfig } from '@app/config';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ValidationError } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ApiModule, GRAPHQL_PATH } from './api.module';
import { registerGraphiql } from './graphiql/graphiql';
import { createRootLogger } from '@app/logging';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** One id per request: the caller's X-Request-Id when it is sane, else a UUID; shared by Fastify and pino. */
function requestId(raw: IncomingMessage): string {
  const header = raw.headers['x-request-id'];
  const id = typeof header === 'string' && INCOMING_ID.test(header) ? header : randomUUID();
  (raw as { id?: unknown }).id = id;
  return id;
}

/** Input validation for every GraphQL argument; failures become BAD_USER_INPUT naming each field. */
export const validationPipe = new ValidationPipe({
  transform: true,
  forbidUnknownValues: false,
  exceptionFactory: (errors: ValidationError[]) => DomainException.invalid(flatten(errors).join('; ')),
});

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${prefix}${m}` : `${path}: ${m}`,
    );
    return own.concat(flatten(e.children ?? [], `${path}.`));
  });
}

export interface ApiAppOptions {
  config: AppConfig;
  /** Where JSON log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
}

/** Builds the api (not listening yet): Fastify, GraphQL, GraphiQL, health; migrations run during init. */
export async function createApiApp({ config, logDestination }: ApiAppOptions): Promise<NestFastifyApplication> {
  const rootLogger = createRootLogger(config, logDestination);
  const adapter = new FastifyAdapter({
    bodyLimit: config.api.bodyLimitBytes,
    genReqId: requestId,
    loggerInstance: rootLogger,
    requestIdLogLabel: 'requestId',
    // Logged in onResponse below instead, so health probes do not flood the log.
    disableRequestLogging: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, rootLogger), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe);
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
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
  if (config.graphql.graphiqlEnabled) {
    registerGraphiql(fastify, GRAPHQL_PATH);
  }
  await app.init();
  return app;
}
