import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { ensureTemporal } from '../../scripts/lib/ensure-temporal';
import { freePort } from '../../scripts/lib/free-port';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-dev-server';

/**
 * Starts a throwaway PostgreSQL on a free port (never 5432 or 54329) and a Temporal dev server (headless,
 * in memory, with our search attributes) on another, side by side. Migrations run inside the tests
 * (test/utils/database migrateFresh): path aliases only resolve in jest's module registry, not here.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  process.env.TEST_TMP_DIR = dir;
  const [pg, temporal] = await Promise.all([startPostgres(dir), startTemporal()]);
  process.env.TEST_DATABASE_URL = pg.url('tributary_test');
  process.env.TEST_PG_ADMIN_URL = pg.url('postgres');
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  const shared = globalThis as { __TRIBUTARY_PG__?: typeof pg; __TRIBUTARY_TEMPORAL__?: TemporalDevServer };
  shared.__TRIBUTARY_PG__ = pg;
  shared.__TRIBUTARY_TEMPORAL__ = temporal;
}

async function startPostgres(dir: string): Promise<Awaited<ReturnType<typeof startEmbeddedPostgres>>> {
  return startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    database: 'tributary_test',
    ephemeral: true,
  });
}

async function startTemporal(): Promise<TemporalDevServer> {
  // Says where temporal comes from; a first build on this machine takes minutes and says so.
  const binary = await ensureTemporal((line) => process.stderr.write(`[test setup] ${line}\n`));
  return startTemporalDevServer({
    binary,
    port: await freePort(),
    headless: true,
    // Quiet while it works; a failed start-up reports the server's last lines itself.
    log: () => undefined,
    onUnexpectedExit: (reason) => process.stderr.write(`[test setup] ${reason}: tests that need it will fail\n`),
  });
}
