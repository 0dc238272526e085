// Finds the Temporal CLI (`temporal`, which embeds the dev server and its UI), building it once into a
// per-user cache outside the clone when nothing else provides it. Shared by `npm run temporal:ensure`,
// `npm run dev`, the test setup and .ci/run.
import { execFile, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';

/** The newest CLI tag `go install` accepts (v1.6.0+ carry a `replace` directive); see DESIGN.md "Stack". */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
export const MIN_GO = [1, 25] as const;
const BUILD_TIME_LIMIT_MS = 30 * 60_000;
const LOCK_WAIT_LIMIT_MS = BUILD_TIME_LIMIT_MS + 60_000;
/** A lock from another host cannot be checked by pid; it counts as stale after this long. */
const FOREIGN_LOCK_STALE_MS = BUILD_TIME_LIMIT_MS + 5 * 60_000;

type Log = (line: string) => void;

/** `$XDG_CACHE_HOME/tributary/bin` (default ~/.cache/tributary/bin): shared by every clone of this user. */
export function temporalCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tributary', 'bin');
}

export type TemporalLookup =
  | { found: true; path: string; source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache'; version: string }
  | { found: false; fromEnv: boolean; problem: string };

/**
 * A working `temporal` binary, never building one: TEMPORAL_CLI_PATH (then only it), else `temporal` on
 * PATH, else the cache. Shared by ensureTemporal and `npm run doctor`.
 */
export async function findTemporal(env: NodeJS.ProcessEnv = process.env): Promise<TemporalLookup> {
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    const version = await versionOf(fromEnv);
    return version.ok
      ? { found: true, path: fromEnv, source: 'TEMPORAL_CLI_PATH', version: version.text }
      : { found: false, fromEnv: true, problem: `TEMPORAL_CLI_PATH=${fromEnv} does not run: ${version.text}` };
  }
  const onPath = await versionOf('temporal');
  if (onPath.ok) {
    return { found: true, path: 'temporal', source: 'PATH', version: onPath.text };
  }
  const binary = join(temporalCacheDir(env), 'temporal');
  if (isExecutable(binary)) {
    const cached = await versionOf(binary);
    return cached.ok
      ? { found: true, path: binary, source: 'cache', version: cached.text }
      : { found: false, fromEnv: false, problem: `${binary} does not run (${cached.text}): delete it to rebuild it` };
  }
  return { found: false, fromEnv: false, problem: `not on PATH, not cached in ${temporalCacheDir(env)}` };
}

/**
 * The path of a working `temporal` binary: found by findTemporal, else built into the cache with Go (one
 * build at a time across processes). Never inside the clone.
 */
export async function ensureTemporal(log: Log): Promise<string> {
  const started = Date.now();
  const found = await findTemporal();
  if (found.found) {
    const where = { TEMPORAL_CLI_PATH: 'from TEMPORAL_CLI_PATH', PATH: 'found on PATH', cache: 'cached' }[found.source];
    log(`temporal: ${found.path} (${where}, ${found.version}, ${seconds(started)} s)`);
    return found.path;
  }
  if (found.fromEnv || existsSync(join(temporalCacheDir(), 'temporal'))) {
    throw new Error(found.problem);
  }
  const binary = join(temporalCacheDir(), 'temporal');
  await buildUnderLock(binary, log);
  log(`temporal: ${binary} (ready after ${seconds(started)} s)`);
  return binary;
}

// ---------------------------------------------------------------------------------------------------
// Building

async function buildUnderLock(binary: string, log: Log): Promise<void> {
  const cacheDir = temporalCacheDir();
  mkdirSync(cacheDir, { recursive: true });
  const lock = await acquireLock(join(cacheDir, '.temporal-build.lock'), log);
  try {
    if (isExecutable(binary)) {
      log('temporal: another process finished building it while we waited');
      return;
    }
    await build(binary, log);
  } finally {
    lock.release();
  }
}

/** `go install` into a scratch GOBIN next to the cache, then one atomic rename: never a half-written binary. */
async function build(binary: string, log: Log): Promise<void> {
  const go = await goVersion();
  const scratch = join(temporalCacheDir(), `.build-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const started = Date.now();
  log(
    `temporal: not found; building ${TEMPORAL_CLI_MODULE} with ${go} into ${temporalCacheDir()} ` +
      '(once per machine; about 2–3 min on 2 cores with an empty Go cache)',
  );
  try {
    await runGoInstall(scratch, log);
    renameSync(join(scratch, 'temporal'), binary);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const version = await versionOf(binary);
  if (!version.ok) {
    rmSync(binary, { force: true });
    throw new Error(`the freshly built ${binary} does not run (${version.text}); removed it`);
  }
  log(`temporal: built in ${seconds(started)} s: ${version.text}`);
}

function runGoInstall(gobin: string, log: Log): Promise<void> {
  const output: string[] = [];
  const child = spawn('go', ['install', TEMPORAL_CLI_MODULE], {
    env: { ...process.env, GOBIN: gobin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 30));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // Our own exit (Ctrl-C, a failed run) must not leave a compiler running in the background.
  const killChild = (): void => void child.kill('SIGKILL');
  process.once('exit', killChild);
  const started = Date.now();
  const progress = setInterval(() => log(`temporal: still building (${seconds(started)} s)…`), 30_000);
  const limit = setTimeout(() => child.kill('SIGKILL'), BUILD_TIME_LIMIT_MS);
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      clearInterval(progress);
      clearTimeout(limit);
      process.removeListener('exit', killChild);
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    };
    child.once('error', (error) => done(new Error(`could not run go: ${error.message}. ${missingHelp()}`)));
    child.once('exit', (code, signal) =>
      code === 0
        ? done()
        : done(
            new Error(
              `go install ${TEMPORAL_CLI_MODULE} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}` +
                `${output.length ? `:\n  ${output.join('\n  ')}` : ''}\n${missingHelp()}`,
            ),
          ),
    );
  });
}

export type GoToolchain = { installed: false; problem: string } | { installed: true; version: string; recent: boolean };

/** The Go on PATH, e.g. "go1.26.8", and whether it is recent enough (≥ MIN_GO) to build the CLI. */
export async function goToolchain(): Promise<GoToolchain> {
  const result = await run('go', ['env', 'GOVERSION']);
  if (!result.ok) {
    return { installed: false, problem: result.text };
  }
  const [major, minor] = (/^go(\d+)\.(\d+)/.exec(result.text) ?? []).slice(1).map(Number);
  return {
    installed: true,
    version: result.text,
    recent: major > MIN_GO[0] || (major === MIN_GO[0] && minor >= MIN_GO[1]),
  };
}

/** "go1.26.8"; throws the "what is missing" message when Go is absent or too old. */
async function goVersion(): Promise<string> {
  const go = await goToolchain();
  if (!go.installed) {
    throw new Error(`temporal is not available and Go is not installed (${go.problem}). ${missingHelp()}`);
  }
  if (!go.recent) {
    throw new Error(`temporal is not available and ${go.version} is too old to build it. ${missingHelp()}`);
  }
  return go.version;
}

function missingHelp(): string {
  return (
    `To run the Temporal dev server, install Go ≥${MIN_GO.join('.')} (https://go.dev/dl/; the build then runs once ` +
    `and is cached in ${temporalCacheDir()}), or put temporal (CLI ${TEMPORAL_CLI_VERSION}) on PATH, ` +
    'or set TEMPORAL_CLI_PATH to its path.'
  );
}

// ---------------------------------------------------------------------------------------------------
// The build lock: a file created atomically (link) with its owner's pid and host in it

interface Lock {
  release(): void;
}

async function acquireLock(path: string, log: Log): Promise<Lock> {
  const started = Date.now();
  let lastOwner = '';
  for (;;) {
    if (tryCreateLock(path)) {
      const release = (): void => releaseLock(path);
      process.once('exit', release);
      return {
        release: () => {
          process.removeListener('exit', release);
          release();
        },
      };
    }
    const owner = readLock(path);
    if (owner && isStale(owner)) {
      log(`temporal: removing a stale build lock (pid ${owner.pid} on ${owner.host} is gone)`);
      removeIfUnchanged(path, owner.raw);
      continue;
    }
    if (Date.now() - started > LOCK_WAIT_LIMIT_MS) {
      throw new Error(
        `another process (${owner?.raw ?? 'unknown'}) has been building temporal for too long; see ${path}`,
      );
    }
    if (owner && owner.raw !== lastOwner) {
      lastOwner = owner.raw;
      log(`temporal: pid ${owner.pid} is building it already; waiting for that build`);
    }
    await sleep(1_000);
  }
}

/** Writes our identity to a private file, then links it to `path`: the lock never exists empty. */
function tryCreateLock(path: string): boolean {
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, `${process.pid} ${hostname()} ${Date.now()}\n`);
  try {
    linkSync(mine, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  } finally {
    unlinkSync(mine);
  }
}

interface LockOwner {
  pid: number;
  host: string;
  since: number;
  raw: string;
}

function readLock(path: string): LockOwner | undefined {
  try {
    const raw = readFileSync(path, 'utf8').trim();
    const [pid, host, since] = raw.split(' ');
    return { pid: Number(pid), host, since: Number(since), raw };
  } catch {
    return undefined; // released in the meantime
  }
}

function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) {
    return Date.now() - owner.since > FOREIGN_LOCK_STALE_MS;
  }
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes a stale lock unless someone replaced it since we read it. */
function removeIfUnchanged(path: string, raw: string): void {
  if (readLock(path)?.raw === raw) {
    rmSync(path, { force: true });
  }
}

function releaseLock(path: string): void {
  const owner = readLock(path);
  if (owner && owner.pid === process.pid && owner.host === hostname()) {
    rmSync(path, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

/** `<binary> --version`, first line, e.g. "temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)". */
async function versionOf(binary: string): Promise<{ ok: boolean; text: string }> {
  const result = await run(binary, ['--version']);
  return { ok: result.ok, text: result.ok ? result.text.split('\n')[0] : result.text };
}

function run(command: string, args: string[]): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ ok: false, text: code === 'ENOENT' ? `${command}: not found` : (stderr || error.message).trim() });
      } else {
        resolve({ ok: true, text: stdout.trim() });
      }
    });
  });
}

function isExecutable(path: string): boolean {
  if (!existsSync(path)) {
    return false;
  }
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
