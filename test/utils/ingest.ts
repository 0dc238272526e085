import type { AppConfig } from '@app/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { createIngestApp } from '../../apps/ingest/src/create-ingest-app';
import { testConfig } from './test-config';

export interface TestIngest {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  /** Every JSON log line ingest wrote. */
  logs: string[];
  close(): Promise<void>;
}

/** Boots the real ingest app in-process on a free port (or env INGEST_PORT), capturing its log lines. */
export async function startTestIngest(
  env: Record<string, string> = {},
  beforeRoutes?: (fastify: FastifyInstance) => void,
): Promise<TestIngest> {
  const config = testConfig({ INGEST_PORT: '0', ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const app = await createIngestApp({ config, logDestination: sink, beforeRoutes });
  await app.listen({ port: config.ingest.port, host: '127.0.0.1' }); // 0 unless the test chose one
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, config, logs, close: () => app.close() };
}
