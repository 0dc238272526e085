import { bootFailureMessage, loadConfigFromEnv } from '@app/config';
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
  process.stderr.write(`api failed to start: ${bootFailureMessage(error)}\n`);
  process.exit(1);
});
