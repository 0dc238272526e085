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
    // The test Temporal server (global setup); an unreachable address when a tier runs without one.
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS ?? '127.0.0.1:1',
    TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    // One listing per first sync unless a test asks for slices (test/e2e/sliced-first-sync.e2e-spec.ts):
    // most tests count the pages and requests of one listing.
    SYNC_FIRST_SYNC_SLICES: '1',
    // Every run a full refresh, as the tests written before incremental syncs expect of a re-run; the
    // incremental tests set a real interval.
    SYNC_FULL_REFRESH_MINUTES: '0',
    ...env,
  });
}
