// The Temporal CLI dev server (`temporal server start-dev`, SQLite, Web UI) as used by `npm run dev`,
// `--smoke` and the test setup: our namespace and search attributes, in its own process group.
import { Connection } from '@temporalio/client';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ensureTemporal } from './ensure-temporal';
import { describeExit, type ExitInfo, ProcessGroup } from './process-group';
import { portAnswers, waitForHttpOk } from './wait-for-http';

/**
 * Custom search attributes, all Keyword. The names are decided in DESIGN.md ("Names") and live in code in
 * libs/temporal (SEARCH_ATTRIBUTE_KEYS; the worker also ensures them at startup). This copy exists because
 * jest's globalSetup cannot resolve @app/* paths; test/integration/temporal-server.int-spec.ts keeps the
 * two lists equal.
 */
export const SEARCH_ATTRIBUTES = ['SourceId', 'SourceKind', 'WorkspaceId', 'SyncObject'] as const;
/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */
const KEYWORD = 2;
const DEFAULT_NAMESPACE = 'default';
const READY_TIMEOUT_MS = 60_000;
const TAIL_LINES = 30;

type Log = (line: string) => void;

export interface TemporalDevServerOptions {
  port: number;
  /** Web UI port; port + 1000 when absent (as the CLI does); unused when headless. */
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory (lost on exit) when absent. */
  dbFile?: string;
  /** No Web UI (tests). */
  headless?: boolean;
  /** Created in addition to `default`, which always exists. */
  namespace?: string;
  /** Receives each line the server prints. */
  log: Log;
  /** The `temporal` binary; found (or built) with ensureTemporal when absent. */
  binary?: string;
  /** Called when the server exits without stop() having been called. */
  onUnexpectedExit?: (reason: string) => void;
}

export interface TemporalDevServer {
  /** host:port of the frontend (gRPC), as TEMPORAL_ADDRESS wants it. */
  address: string;
  /** http://127.0.0.1:<uiPort>; nothing answers there when headless. */
  uiUrl: string;
  /** Stops the server's whole process group; idempotent. A plain function: pass it around unbound. */
  stop: () => Promise<void>;
}

export interface LaunchedTemporalDevServer extends TemporalDevServer {
  /** Resolves once the frontend (and the UI unless headless) answers; rejects with the server's last lines. */
  ready: Promise<void>;
}

/** Starts a dev server and waits until it serves; stops it again when it does not come up. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const binary = options.binary ?? (await ensureTemporal(options.log));
  const server = launchTemporalDevServer({ ...options, binary });
  try {
    await server.ready;
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * Spawns the server and returns at once, so that the caller can register stop() before waiting for
 * `ready` (a Ctrl-C during start-up must stop it too). A failed `ready` does not stop it: call stop().
 */
export function launchTemporalDevServer(
  options: TemporalDevServerOptions & { binary: string },
): LaunchedTemporalDevServer {
  const tail: string[] = [];
  let stopping = false;
  const log: Log = (line) => {
    tail.push(line);
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
    // While stopping it logs a warning for each of its internal pollers it cuts off: not worth showing.
    if (!stopping) {
      options.log(line);
    }
  };
  if (options.dbFile) {
    mkdirSync(dirname(resolve(options.dbFile)), { recursive: true });
  }
  const group = ProcessGroup.start('temporal', options.binary, devServerArgs(options), {
    env: process.env,
    cwd: process.cwd(),
    output: { for: () => log },
  });
  // Should we exit without stopping it (a crash, the stop time limit), it still shuts down cleanly.
  const stopOnExit = (): void => group.signal('SIGTERM');
  process.once('exit', stopOnExit);
  void group.exited.then((info) => {
    process.removeListener('exit', stopOnExit);
    if (!group.stopRequested()) {
      options.onUnexpectedExit?.(`temporal dev server ${describeExit(info)}`);
    }
  });
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = `http://127.0.0.1:${uiPortOf(options)}`;
  const ready = waitUntilServing(address, options.headless ? undefined : uiUrl, group.exited).catch(
    (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`temporal dev server on ${address} did not start: ${reason}${lastLines(tail)}`, { cause: error });
    },
  );
  const stop = (): Promise<void> => {
    stopping = true;
    return group.stop();
  };
  return { address, uiUrl, ready, stop };
}

/** `temporal server start-dev …` with our namespace, search attributes and limits. */
export function devServerArgs(options: TemporalDevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port)];
  args.push(...(options.headless ? ['--headless'] : ['--ui-port', String(uiPortOf(options))]));
  if (options.dbFile) {
    args.push('--db-filename', options.dbFile);
  }
  args.push('--namespace', DEFAULT_NAMESPACE);
  if (options.namespace && options.namespace !== DEFAULT_NAMESPACE) {
    args.push('--namespace', options.namespace);
  }
  args.push('--log-level', 'warn');
  for (const name of SEARCH_ATTRIBUTES) {
    args.push('--search-attribute', `${name}=Keyword`);
  }
  // Every per-source task queue holds a long poll; the default limit (1200 per namespace) is too low.
  args.push('--dynamic-config-value', 'frontend.namespaceCount=5000');
  return args;
}

// ---------------------------------------------------------------------------------------------------
// Checks

/** One getSystemInfo round trip: true when a Temporal frontend answers at `address`. */
export async function answersAsTemporal(address: string, timeoutMs = 3_000): Promise<boolean> {
  if (!(await tcpAnswers(address))) {
    return false; // gRPC would keep retrying a refused connection until the timeout
  }
  try {
    await withConnection(address, timeoutMs, () => Promise.resolve());
    return true;
  } catch {
    return false;
  }
}

/**
 * What the smoke checks: the frontend answers, `namespace` exists, and our search attributes are registered
 * as Keyword. Throws a message naming what is missing.
 */
export async function checkTemporal(address: string, namespace = DEFAULT_NAMESPACE): Promise<void> {
  await withConnection(address, 10_000, async (connection) => {
    await connection.workflowService.describeNamespace({ namespace });
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((name) => Number(customAttributes?.[name]) !== KEYWORD);
    if (missing.length > 0) {
      throw new Error(`search attributes missing (or not Keyword) in namespace ${namespace}: ${missing.join(', ')}`);
    }
  });
}

async function waitUntilServing(address: string, uiUrl: string | undefined, exited: Promise<ExitInfo>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exit: ExitInfo | undefined;
  void exited.then((info) => (exit = info));
  for (;;) {
    if (exit) {
      throw new Error(`it ${describeExit(exit)}`);
    }
    const problem = await servingProblem(address);
    if (!problem) {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error(`no answer within ${READY_TIMEOUT_MS / 1000} s (last: ${problem})`);
    }
    await sleep(250);
  }
  if (uiUrl) {
    await waitForHttpOk(uiUrl, { what: 'the Temporal UI', timeoutMs: Math.max(5_000, deadline - Date.now()) });
  }
}

/** Why the frontend does not serve the default namespace yet; undefined once it does. */
async function servingProblem(address: string): Promise<string | undefined> {
  if (!(await tcpAnswers(address))) {
    return 'nothing listens there yet';
  }
  try {
    await withConnection(address, 2_000, async (connection) => {
      await connection.workflowService.describeNamespace({ namespace: DEFAULT_NAMESPACE });
    });
    return undefined;
  } catch (error) {
    // The client wraps the gRPC error ("Failed to connect…"); its cause says why (ECONNREFUSED…).
    return error instanceof Error
      ? error.cause instanceof Error
        ? error.cause.message
        : error.message
      : String(error);
  }
}

/** Connects (getSystemInfo included, as Connection.connect does), runs `use`, always closes. */
async function withConnection(
  address: string,
  timeoutMs: number,
  use: (connection: Connection) => Promise<void>,
): Promise<void> {
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs });
  try {
    await connection.ensureConnected();
    await connection.withDeadline(Date.now() + timeoutMs, async () => {
      await connection.workflowService.getSystemInfo({});
      await use(connection);
    });
  } finally {
    await connection.close();
  }
}

function tcpAnswers(address: string): Promise<boolean> {
  const colon = address.lastIndexOf(':');
  return portAnswers(Number(address.slice(colon + 1)), address.slice(0, colon).replace(/^\[|\]$/g, ''));
}

function uiPortOf(options: TemporalDevServerOptions): number {
  return options.uiPort ?? options.port + 1000;
}

function lastLines(tail: string[]): string {
  return tail.length ? `\n--- last lines of the temporal output ---\n${tail.join('\n')}\n---` : ' (it printed nothing)';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveFn) => setTimeout(resolveFn, ms));
}
