import { ConfigError, loadConfigFromEnv } from '@app/config';
import { Logger } from 'nestjs-pino';
import { createApiApp } from './create-api-app';

async function bootstrap(): Promise<void> {
  const config = loadConfigFromEnv();
  const app = await createApiApp({ config });
  await app.listen({ port: config.api.port, host: config.api.host });
  const url = config.api.publicUrl ?? `http://${config.api.host}:${config.api.port}`;
  app.get(Logger).log(`api listening on ${url} (GraphQL and GraphiQL at ${url}/graphql)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Bad configuration stops the boot naming each variable (never a secret value).
  const message =
    error instanceof ConfigError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`api failed to start: ${message}\n`);
  process.exit(1);
});
