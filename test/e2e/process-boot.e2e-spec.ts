import { randomBytes } from 'node:crypto';
import { exitCode, runEntry, waitFor } from '../utils/app-process';
import { migrateFresh, requiredEnv } from '../utils/database';

describe('process boot', () => {
  const keys = { ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`, ENCRYPTION_ACTIVE_KEY: 'v1' };

  it('the api refuses bad configuration, naming each variable but never a secret', async () => {
    const { child, output } = runEntry('apps/api/src/main.ts', {
      API_PORT: 'eighty',
      DATABASE_URL: 'postgres://u:hunter2@127.0.0.1:1/db',
      ENCRYPTION_KEYS: 'v1:dG9vLXNob3J0',
      ENCRYPTION_ACTIVE_KEY: 'v1',
    });
    expect(await exitCode(child)).toBe(1);
    expect(output()).toContain('api failed to start: Invalid configuration');
    expect(output()).toContain('API_PORT ("eighty")');
    expect(output()).toContain('ENCRYPTION_KEYS: key "v1" decodes to 9 bytes');
    expect(output()).not.toContain('hunter2');
  });

  it('the worker connects to Postgres and Temporal, then stops cleanly on SIGTERM', async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    const { child, output } = runEntry('apps/worker/src/main.ts', {
      ...keys,
      LOG_LEVEL: 'info',
      DATABASE_URL: requiredEnv('TEST_DATABASE_URL'),
      TEMPORAL_ADDRESS: requiredEnv('TEST_TEMPORAL_ADDRESS'),
    });
    await waitFor(output, 'worker ready', 45_000);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
    expect(output()).toContain('worker stopped');
  });
});
