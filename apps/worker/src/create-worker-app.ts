import type { AppConfig } from '@app/config';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { WorkerLifecycleService } from './temporal/worker-lifecycle.service';
import { WorkerModule } from './worker.module';

export interface WorkerApp {
  app: INestApplicationContext;
  stop(): Promise<void>;
}

/**
 * Builds and starts the worker (used by main.ts and by tests that run a real worker in-process; tests may
 * capture its JSON log lines through `logDestination`).
 */
export async function startWorkerApp(config: AppConfig, logDestination?: DestinationStream): Promise<WorkerApp> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logDestination), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const lifecycle = app.get(WorkerLifecycleService);
  await lifecycle.start();
  return {
    app,
    stop: async () => {
      await lifecycle.stop();
      await app.close();
    },
  };
}
