import { bootFailureMessage, loadConfigFromEnv } from '@app/config';
import { Logger } from 'nestjs-pino';
import { startWorkerApp } from './create-worker-app';

async function bootstrap(): Promise<void> {
  // Validate configuration before Nest boots, so a bad variable stops us with a plain message.
  const worker = await startWorkerApp(loadConfigFromEnv());
  const logger = worker.app.get(Logger);
  const signal = await new Promise<string>((resolve) => {
    for (const name of ['SIGTERM', 'SIGINT'] as const) {
      process.once(name, () => resolve(name));
    }
  });
  logger.log(`${signal}: stopping (in-flight activities finish or hit the grace time)`, 'Worker');
  await worker.stop();
  logger.log('worker stopped', 'Worker');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${bootFailureMessage(error)}\n`);
  process.exit(1);
});
