// Runs a command against a throwaway embedded PostgreSQL: `with-temp-postgres -- <command…>`.
// Used by migration:generate when no DATABASE_URL is given, so generating never touches a real database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from './lib/embedded-postgres';
import { freePort } from './lib/free-port';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const command = args[0] === '--' ? args.slice(1) : args;
  const dir = mkdtempSync(join(tmpdir(), 'tributary-pg-'));
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    database: 'tributary',
    ephemeral: true,
  });
  try {
    const result = spawnSync(command[0], command.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: pg.url('tributary') },
    });
    return result.status ?? 1;
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
