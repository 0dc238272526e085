import { join } from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { freePort } from './free-port';
import { portAnswers } from './wait-for-http';

/** The dev stack's Postgres port (also the default DATABASE_URL in libs/config). */
export const DEV_PG_PORT = 54329;
const DATABASE = 'tributary';

export interface Database {
  url: string;
  /** One line for the banner and the log. */
  description: string;
  /** Stops Postgres when we started it; a no-op otherwise. */
  stop: () => Promise<void>;
  /** Data folder of a Postgres we started (it may differ from the one asked for when running as root). */
  dataDir?: string;
}

type Log = (line: string) => void;

/** `npm run dev`: DATABASE_URL if set, else the persistent embedded Postgres on 54329 (started or reused). */
export async function devDatabase(env: NodeJS.ProcessEnv, dataRoot: string, log: Log): Promise<Database> {
  if (env.DATABASE_URL) {
    return external(env.DATABASE_URL);
  }
  if (!(await portAnswers(DEV_PG_PORT))) {
    return startEmbedded(join(dataRoot, 'pg'), DEV_PG_PORT, false, log);
  }
  // Another `npm run dev` (or a crashed one) left it running: share it rather than fail.
  await assertOurPostgres(localUrl(DEV_PG_PORT, 'postgres'));
  await ensureDatabase(localUrl(DEV_PG_PORT, 'postgres'), DATABASE);
  return {
    url: localUrl(DEV_PG_PORT, DATABASE),
    description: `embedded, already running on 127.0.0.1:${DEV_PG_PORT}: reused, left running on exit`,
    stop: () => Promise.resolve(),
  };
}

/** `--smoke`: DATABASE_URL if set, else a throwaway embedded Postgres on a free port. */
export async function freshDatabase(env: NodeJS.ProcessEnv, tempDir: string, log: Log): Promise<Database> {
  if (env.DATABASE_URL) {
    return external(env.DATABASE_URL);
  }
  return startEmbedded(join(tempDir, 'pg'), await freePort(), true, log);
}

function external(url: string): Database {
  return { url, description: 'from DATABASE_URL (not started or stopped here)', stop: () => Promise.resolve() };
}

async function startEmbedded(dataDir: string, port: number, ephemeral: boolean, log: Log): Promise<Database> {
  try {
    const pg = await startEmbeddedPostgres({ dataDir, port, database: DATABASE, ephemeral, log });
    return {
      url: pg.url(DATABASE),
      description: `embedded on 127.0.0.1:${port}, data in ${pg.dataDir}`,
      stop: pg.stop,
      dataDir: pg.dataDir,
    };
  } catch (error) {
    // embedded-postgres rejects with no reason when the server exits early; its own log says why.
    const reason = error instanceof Error ? error.message : 'the server exited during start-up';
    throw new Error(`embedded Postgres did not start on port ${port} (${reason}); see the [postgres] lines`, {
      cause: error,
    });
  }
}

async function assertOurPostgres(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `port ${DEV_PG_PORT} is taken by something that is not the dev Postgres (postgres/postgres login failed: ` +
        `${reason}). Stop it, or set DATABASE_URL to use another database.`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

// The credentials startEmbeddedPostgres gives its clusters.
function localUrl(port: number, database: string): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
}
