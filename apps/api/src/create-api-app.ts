import { ApiTokensService, AuthFailureLimiter } from '@app/auth';
import { DomainException } from '@app/common';
import type { AppConfig } from '@app/config';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ValidationError } from 'class-validator';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ApiModule, GRAPHQL_PATH } from './api.module';
import { registerGraphiql } from './graphiql/graphiql';
import { installApiRoutePolicy } from './http/api-route-policy';
import { installRequestLogging, requestLoggingOptions } from '@app/http';
import { createRootLogger } from '@app/logging';

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

// Fastify takes a hop count too, but the adapter's types do not: pass the function Fastify makes of it.
function trustProxyOption(
  trust: AppConfig['trustProxy'],
): boolean | string[] | ((addr: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_addr, hop) => hop < trust : trust;
}

function unreachable(message: string): never {
  throw new Error(message);
}

export interface ApiAppOptions {
  config: AppConfig;
  /** Where JSON log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
  /** Called once the route policy is installed and before any route exists (tests record the route list). */
  beforeRoutes?: (fastify: FastifyInstance) => void;
}

/** Builds the api (not listening yet): Fastify, GraphQL, GraphiQL, health; migrations run during init. */
export async function createApiApp(options: ApiAppOptions): Promise<NestFastifyApplication> {
  const { config, logDestination } = options;
  const rootLogger = createRootLogger(config, logDestination);
  const adapter = new FastifyAdapter({
    bodyLimit: config.api.bodyLimitBytes,
    ...requestLoggingOptions(rootLogger),
    // req.ip (rate limits, logs) honours X-Forwarded-For only from the proxies TRUST_PROXY names.
    trustProxy: trustProxyOption(config.trustProxy),
  });
  const fastify = adapter.getInstance();
  // Every route registered from here on, ours, Nest's and Apollo's, must pass the policy.
  const container: { tokens?: ApiTokensService } = {};
  installApiRoutePolicy(fastify, GRAPHQL_PATH, {
    tokens: () => container.tokens ?? unreachable('the api received a request before it was initialised'),
    limiter: new AuthFailureLimiter(config.authFailures),
  });
  options.beforeRoutes?.(fastify);
  if (config.graphql.graphiqlEnabled) {
    registerGraphiql(fastify, GRAPHQL_PATH);
  }
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, rootLogger), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  container.tokens = app.get(ApiTokensService);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe);
  app.enableShutdownHooks();
  installRequestLogging(fastify);
  await app.init();
  return app;
}
