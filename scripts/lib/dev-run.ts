// The steps `npm run dev` and its smoke share: starting processes and services, waiting, timing.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAdminToken } from './admin-token';
import type { ServiceAddress } from './dev-address';
import { DEV_HUBSPOT_PORT } from './dev-hubspot';
import { DEV_SHOPIFY_PORT } from './dev-shopify';
import type { DevKeys } from './dev-keys';
import type { Database } from './dev-postgres';
import type { Temporal } from './dev-temporal';
import type { OutputLog } from './output-log';
import { describeExit, ProcessGroup } from './process-group';
import type { ServiceHooks, Stack } from './stack';
import type { StopSignals } from './stop-signals';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** What every step needs: the mode, what was started, and where messages go. */
export interface Run {
  smoke: boolean;
  stack: Stack;
  output: OutputLog;
  say: (line: string) => void;
  signals: StopSignals;
  /** Stops everything and exits non-zero; for failures noticed outside the main flow. */
  fail: (reason: string) => void;
}

/** Starts (or adopts) the database and registers its stop; then takes over the stop signals. */
export async function useDatabase(run: Run, open: () => Promise<Database>): Promise<Database> {
  const db = await open();
  run.stack.addDatabase(db.stop);
  if (db.dataDir && run.smoke) {
    const dataDir = db.dataDir; // may lie outside the temporary folder when running as root
    run.stack.addCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  }
  run.signals.claim();
  run.say(`Postgres ${db.description}`);
  return db;
}

/** Lets a backing service's starter log, register its stop and report a crash (see lib/stack ServiceHooks). */
export function serviceHooks(run: Run, name: string): ServiceHooks {
  return {
    log: run.output.for(name),
    say: run.say,
    register: (stop) => run.stack.addService(stop),
    onUnexpectedExit: run.fail,
  };
}

/** Runs `create-workspace … --json` (the group must capture stdout) and returns the admin token. */
export async function createWorkspace(run: Run, cli: ProcessGroup): Promise<string> {
  await runToEnd(run, cli, 120_000);
  return parseAdminToken(cli.stdoutText());
}

/** Waits for a one-shot command; fails on a non-zero exit or after `timeoutMs` (killing it). */
export async function runToEnd(run: Run, group: ProcessGroup, timeoutMs: number): Promise<void> {
  run.stack.add(group);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolveFn) => (timer = setTimeout(() => resolveFn(undefined), timeoutMs)));
  const status = await Promise.race([group.exited, timedOut]);
  clearTimeout(timer);
  if (!status) {
    await group.stop();
    throw new Error(`${group.name} did not finish within ${timeoutMs / 1000} s`);
  }
  if (status.code !== 0) {
    throw new Error(`${group.name} ${describeExit(status)}`);
  }
}

/** `npm run -s <script…>`, with npm's own Node when we run under npm. */
export function npmScript(
  run: Run,
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  capture = false,
): ProcessGroup {
  const npmArgs = ['run', '-s', ...args];
  run.say(`starting ${name}: npm ${npmArgs.map(shellQuote).join(' ')}`);
  const npmCli = process.env.npm_execpath;
  return npmCli
    ? startGroup(run, name, process.execPath, [npmCli, ...npmArgs], env, capture)
    : startGroup(run, name, 'npm', npmArgs, env, capture);
}

/** A compiled entry point from dist/, run by this very Node (Node 24 under npm scripts). */
export function nodeScript(
  run: Run,
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  capture = false,
): ProcessGroup {
  run.say(`starting ${name}: node ${args.map(shellQuote).join(' ')}`);
  return startGroup(run, name, process.execPath, args, env, capture);
}

export function startGroup(
  run: Run,
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  captureStdout: boolean,
): ProcessGroup {
  return ProcessGroup.start(name, command, args, { env, cwd: REPO_ROOT, output: run.output, captureStdout });
}

/** The environment libs/config validates, on top of the user's own. */
export function childEnv(
  keys: DevKeys,
  databaseUrl: string,
  http: { api: ServiceAddress; ingest: ServiceAddress },
  temporal: Temporal,
  stripeUrl: string,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...keys,
    DATABASE_URL: databaseUrl,
    API_HOST: http.api.host,
    API_PORT: String(http.api.port),
    INGEST_HOST: http.ingest.host,
    INGEST_PORT: String(http.ingest.port),
    // The api builds webhook URLs from it: where this ingest is reached, unless the user says otherwise.
    INGEST_PUBLIC_URL: process.env.INGEST_PUBLIC_URL || http.ingest.url,
    TEMPORAL_ADDRESS: temporal.address,
    ...(temporal.uiUrl ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}),
    STRIPE_API_BASE_URL: stripeUrl,
    HUBSPOT_API_BASE_URL: `http://127.0.0.1:${DEV_HUBSPOT_PORT}`,
    SHOPIFY_API_BASE_URL: `http://127.0.0.1:${DEV_SHOPIFY_PORT}`,
  };
}

export async function timed<T>(run: Run, label: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await step();
  run.say(`${label}: ok (${seconds(started)} s)`);
  return result;
}

/** Like Promise.all, but waits for all before failing, so nothing is left starting in the background. */
export async function allSettledOrThrow<T extends readonly unknown[]>(
  ...steps: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** For showing commands the way one would type them. */
export function shellQuote(arg: string): string {
  return /^[\w./:=@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}
