import type { AppConfig } from '@app/config';
import { installRequestLogging, installRoutePolicy, requestLoggingOptions } from '@app/http';
import { createRootLogger } from '@app/logging';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { IngestModule } from './ingest.module';

export interface IngestAppOptions {
  config: AppConfig;
  /** Where JSON log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
  /** Called once the route policy is installed and before any route exists (tests list the routes). */
  beforeRoutes?: (fastify: FastifyInstance) => void;
}

/** Builds the ingest app (not listening yet): Fastify with default-deny routes, health probes. */
export async function createIngestApp({
  config,
  logDestination,
  beforeRoutes,
}: IngestAppOptions): Promise<NestFastifyApplication> {
  const rootLogger = createRootLogger(config, logDestination);
  const adapter = new FastifyAdapter(requestLoggingOptions(rootLogger));
  const fastify = adapter.getInstance<FastifyInstance>();
  // Default deny, before Nest registers anything: every route names its policy or the boot fails. No
  // writeKey or signature handler yet, so only public routes can exist (the tracking API and webhooks
  // bring theirs).
  installRoutePolicy(fastify, { handlers: {} });
  beforeRoutes?.(fastify);
  installRequestLogging(fastify);
  const app = await NestFactory.create<NestFastifyApplication>(IngestModule.forRoot(config, rootLogger), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}
