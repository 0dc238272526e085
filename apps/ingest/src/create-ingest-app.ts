import type { AppConfig } from '@app/config';
import { installRequestLogging, installRoutePolicy, requestLoggingOptions } from '@app/http';
import { createRootLogger } from '@app/logging';
import { StripeWebhookReceiver, registerStripeWebhookRoute, webhookSignaturePolicy } from '@app/sources';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { IngestModule } from './ingest.module';

function unreachable(message: string): never {
  throw new Error(message);
}

export interface IngestAppOptions {
  config: AppConfig;
  /** Where JSON log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
  /** Called once the route policy is installed and before any route exists (tests list the routes). */
  beforeRoutes?: (fastify: FastifyInstance) => void;
}

/** Builds the ingest app (not listening yet): Fastify with default-deny routes, health probes, Stripe webhooks. */
export async function createIngestApp({
  config,
  logDestination,
  beforeRoutes,
}: IngestAppOptions): Promise<NestFastifyApplication> {
  const rootLogger = createRootLogger(config, logDestination);
  const adapter = new FastifyAdapter(requestLoggingOptions(rootLogger));
  const fastify = adapter.getInstance<FastifyInstance>();
  // Default deny, before Nest registers anything: every route names its policy or the boot fails. No
  // writeKey handler yet (the tracking API brings it); webhooks are signed.
  const container: { stripe?: StripeWebhookReceiver } = {};
  const stripe = (): StripeWebhookReceiver =>
    container.stripe ?? unreachable('ingest received a webhook before it was initialised');
  installRoutePolicy(fastify, { handlers: { signature: webhookSignaturePolicy(stripe) } });
  beforeRoutes?.(fastify);
  installRequestLogging(fastify);
  const app = await NestFactory.create<NestFastifyApplication>(IngestModule.forRoot(config, rootLogger), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  container.stripe = app.get(StripeWebhookReceiver);
  registerStripeWebhookRoute(fastify, stripe);
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}
