import type { AppConfig } from '@app/config';
import { installRequestLogging, installRoutePolicy, requestLoggingOptions } from '@app/http';
import { createRootLogger } from '@app/logging';
import {
  IngestionService,
  cachedWriteKeys,
  registerClientConfigRoutes,
  registerSdkFileRoutes,
  registerTrackingRoutes,
  trackingWriteKeyPolicy,
} from '@app/ingestion';
import {
  SourcesService,
  WebhookReceiver,
  WriteKeysService,
  registerWebhookRoutes,
  webhookSignaturePolicy,
} from '@app/sources';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import { IngestModule } from './ingest.module';
import { clientSources } from './client-sources';
import { trackingWriteKeys } from './tracking-write-keys';

/** Written by `npm run build` (packages/browser); ingest answers 503 until it exists. */
export const BROWSER_SDK_FILE = 'packages/browser/dist/tributary.min.js';

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

/**
 * Builds the ingest app (not listening yet): Fastify with default-deny routes, health probes, cloud-app
 * webhooks, the tracking API and the browser SDK file.
 */
export async function createIngestApp({
  config,
  logDestination,
  beforeRoutes,
}: IngestAppOptions): Promise<NestFastifyApplication> {
  const rootLogger = createRootLogger(config, logDestination);
  const adapter = new FastifyAdapter(requestLoggingOptions(rootLogger));
  const fastify = adapter.getInstance<FastifyInstance>();
  // Default deny, before Nest registers anything: every route names its policy or the boot fails.
  // Webhooks are signed; tracking calls carry a write key. Services exist once Nest has built the module.
  const container: Partial<{ app: NestFastifyApplication; webhooks: WebhookReceiver }> = {};
  const webhooks = (): WebhookReceiver =>
    container.webhooks ?? unreachable('ingest received a webhook before it was initialised');
  // Looked up once: Nest's container lookup per request is measurable on the tracking hot path.
  const service = <T>(type: new (...args: never[]) => T): (() => T) => {
    let found: { instance: T } | undefined;
    return (): T => {
      found ??= {
        instance: (container.app ?? unreachable('ingest received a request before it was initialised')).get(type),
      };
      return found.instance;
    };
  };
  installRoutePolicy(fastify, {
    handlers: {
      signature: webhookSignaturePolicy(webhooks),
      writeKey: trackingWriteKeyPolicy(
        cachedWriteKeys(trackingWriteKeys(service(WriteKeysService), service(SourcesService))),
      ),
    },
  });
  beforeRoutes?.(fastify);
  installRequestLogging(fastify);
  const app = await NestFactory.create<NestFastifyApplication>(IngestModule.forRoot(config, rootLogger), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  container.app = app;
  container.webhooks = app.get(WebhookReceiver);
  registerWebhookRoutes(fastify, webhooks);
  registerTrackingRoutes(fastify, { ingestion: service(IngestionService) });
  registerClientConfigRoutes(fastify, {
    lookup: clientSources(service(WriteKeysService), service(SourcesService)),
    publicUrl: config.ingest.publicUrl,
  });
  // Relative to the working directory: npm scripts and the container both run ingest from the repo root.
  registerSdkFileRoutes(fastify, { file: resolve(BROWSER_SDK_FILE) });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}
