import { ConfigError, loadConfigFromEnv } from '@app/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  // Validate configuration before Nest boots, so a bad variable stops us with a plain message.
  const config = loadConfigFromEnv();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  logger.log('worker started; no task queues to serve yet (Temporal workers arrive with issue 4)', 'Worker');
  // Keep the event loop alive until a signal arrives, then close the context ourselves.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => resolve());
    }
  });
  clearInterval(keepAlive);
  await app.close();
  logger.log('worker stopped', 'Worker');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
});
