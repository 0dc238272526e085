import { bootFailureMessage, loadConfigFromEnv } from '@app/config';
import { Logger } from 'nestjs-pino';
import { createIngestApp } from './create-ingest-app';
import { closeGracefully, nextStopSignal } from './graceful-stop';

// Below Docker's default stop timeout (10 s), so we cut slow clients ourselves before SIGKILL does.
const SHUTDOWN_GRACE_MS = 8_000;

async function bootstrap(): Promise<void> {
  const config = loadConfigFromEnv();
  const app = await createIngestApp({ config });
  await app.listen({ port: config.ingest.port, host: config.ingest.host });
  const logger = app.get(Logger);
  const address = `http://${config.ingest.host}:${config.ingest.port}`;
  logger.log(`ingest listening on ${address} (public URL ${config.ingest.publicUrl})`, 'Bootstrap');
  const signal = await nextStopSignal();
  logger.log(`${signal}: stopping (no new connections; in-flight requests finish)`, 'Ingest');
  if (await closeGracefully(app, SHUTDOWN_GRACE_MS)) {
    logger.log('ingest stopped', 'Ingest');
  } else {
    logger.warn(`ingest stopped; requests still running after ${SHUTDOWN_GRACE_MS / 1000} s were cut`, 'Ingest');
    process.exitCode = 1;
  }
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`ingest failed to start: ${bootFailureMessage(error)}\n`);
  process.exit(1);
});
