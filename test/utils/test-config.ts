import { type AppConfig, loadConfig } from '@app/config';
import { randomBytes } from 'node:crypto';
import { requiredEnv } from './database';

/** A real, validated config for in-process apps: test database, fresh keyring, quiet logs unless asked. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: requiredEnv('TEST_DATABASE_URL'),
    ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_ACTIVE_KEY: 'v1',
    LOG_LEVEL: 'warn',
    API_PORT: '0',
    ...env,
  });
}
