import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { freePort } from '../../scripts/lib/free-port';

/**
 * Starts a throwaway PostgreSQL on a free port (never 5432 or 54329). Migrations run inside the tests
 * (test/utils/database migrateFresh): path aliases only resolve in jest's module registry, not here.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    database: 'tributary_test',
    ephemeral: true,
  });
  process.env.TEST_DATABASE_URL = pg.url('tributary_test');
  process.env.TEST_PG_ADMIN_URL = pg.url('postgres');
  process.env.TEST_TMP_DIR = dir;
  (globalThis as { __TRIBUTARY_PG__?: typeof pg }).__TRIBUTARY_PG__ = pg;
}
