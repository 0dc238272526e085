// What the sync benches run against: an emulator (Stripe's, or HubSpot's for `npm run bench -- hubspot`) in a
// process of its own, the real api in this process (GraphQL is how syncs are triggered), the real worker app in a
// child process (the same child as the worker-memory bench), a Temporal client, and a database connection for
// checks.
import { WorkspacesService } from '@app/auth';
import { loadConfig } from '@app/config';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { createApiApp } from '../../apps/api/src/create-api-app';
import type { BenchContext } from '../lib/harness';
import { IpcChild } from '../lib/ipc-child';
import type { BenchServers } from '../lib/servers';
import type { WorkerMemoryCommand } from '../worker-memory.child';

const REPO_ROOT = resolve(__dirname, '..', '..');
const TS_NODE = require.resolve('ts-node/dist/bin');

export interface SyncStack {
  tmpDir: string;
  emulatorUrl: string;
  /** POSTs a control call to the emulator (`/reset`, `/latency`, …). */
  emulator(path: string, body: object): Promise<unknown>;
  /** Runs a GraphQL operation as the workspace admin; throws on any error. */
  graphql<T>(query: string, variables: Record<string, unknown>): Promise<T>;
  temporal: TemporalClient;
  db: Client;
  worker: IpcChild;
  ask<T>(request: WorkerMemoryCommand): Promise<T>;
  /** Stops the worker child and starts a fresh one with these settings on top (a case's own config). */
  restartWorker(ctx: BenchContext, env: Record<string, string>): Promise<void>;
}

/** An emulator's `main.ts` run on a free port with no data; the stack points its base-URL setting at it. */
export interface EmulatorSpec {
  name: string;
  entry: string;
  env: Record<string, string>;
  /** Matches the line its main prints, the URL in group 1. */
  urlPattern: RegExp;
  baseUrlSetting: string;
}

export const STRIPE_EMULATOR: EmulatorSpec = {
  name: 'Stripe',
  entry: 'emulators/stripe/src/main.ts',
  env: { STRIPE_EMULATOR_PORT: '0', STRIPE_EMULATOR_CUSTOMERS: '0' },
  urlPattern: /stripe emulator on (http:\/\/\S+)/,
  baseUrlSetting: 'STRIPE_API_BASE_URL',
};

export interface StackOptions {
  emulator?: EmulatorSpec;
  /** Settings on top of the stack's, for the api and the worker. */
  env?: Record<string, string>;
}

export async function startSyncStack(
  ctx: BenchContext,
  servers: BenchServers,
  options: StackOptions = {},
): Promise<SyncStack> {
  const emulatorSpec = options.emulator ?? STRIPE_EMULATOR;
  const emulatorUrl = await startEmulator(ctx, emulatorSpec);
  const keys = `v1:${randomBytes(32).toString('base64')}`;
  const env = {
    DATABASE_URL: servers.databaseUrl,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    ENCRYPTION_KEYS: keys,
    ENCRYPTION_ACTIVE_KEY: 'v1',
    [emulatorSpec.baseUrlSetting]: emulatorUrl,
    // The B3/B4: the account budget set above the load, so the bench measures the engine.
    STRIPE_TEST_REQUESTS_PER_SECOND: '100000',
    STRIPE_REQUEST_BURST: '100000',
    // B3 compares one listing with one sequential script; the sliced case sets its slices itself.
    SYNC_FIRST_SYNC_SLICES: '1',
    // B4 triggers each source twice: both rounds are one-page full refreshes (the figure), not a
    // second round of incremental runs that read no events.
    SYNC_FULL_REFRESH_MINUTES: '0',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  ctx.step('starting the api (in this process)');
  const graphql = await startApi(ctx, env);
  const worker = await startWorker(ctx, env);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  ctx.defer('close the Temporal client', () => connection.close());
  const db = new Client({ connectionString: servers.databaseUrl });
  await db.connect();
  ctx.defer('close the bench database connection', () => db.end());
  const stack: SyncStack = {
    tmpDir: servers.tmpDir,
    emulatorUrl,
    emulator: (path, body) => emulatorControl(emulatorUrl, path, body),
    graphql,
    temporal: new TemporalClient({ connection }),
    db,
    worker,
    ask: <T>(request: object) => stack.worker.request<T>(request),
    restartWorker: async (caseCtx, caseEnv) => {
      await stack.worker.stop({ cmd: 'stop' }, 30_000);
      stack.worker = await startWorker(caseCtx, { ...env, ...caseEnv });
    },
  };
  return stack;
}

async function startWorker(ctx: BenchContext, env: Record<string, string>): Promise<IpcChild> {
  ctx.step('starting the worker app (child process)');
  const worker = IpcChild.spawn('worker child', ['--expose-gc', TS_NODE, 'bench/worker-memory.child.ts'], {
    cwd: REPO_ROOT,
    env: { ...passThroughEnv(), ...env, NODE_ENV: 'production', WORKER_RECONCILE_INTERVAL_SECONDS: '3600' },
  });
  ctx.defer('stop the worker child', () => worker.stop({ cmd: 'stop' }, 30_000));
  await worker.ready();
  return worker;
}

async function emulatorControl(emulatorUrl: string, path: string, body: object): Promise<unknown> {
  const response = await fetch(`${emulatorUrl}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`emulator ${path} answered ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

/** The emulator's `npm run emulator:<name>` entry on a free port; resolves with the URL it prints. */
async function startEmulator(ctx: BenchContext, spec: EmulatorSpec): Promise<string> {
  ctx.step(`starting the ${spec.name} emulator (child process)`);
  const child = spawn(process.execPath, [TS_NODE, spec.entry], {
    cwd: REPO_ROOT,
    env: { ...passThroughEnv(), ...spec.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  ctx.defer(`stop the ${spec.name} emulator`, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolveFn) => child.once('exit', resolveFn));
      child.kill('SIGTERM');
      await exited;
    }
  });
  return new Promise<string>((resolveFn, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = spec.urlPattern.exec(out);
      if (found) {
        resolveFn(found[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the ${spec.name} emulator exited with ${code}: ${out}`)));
  });
}

async function startApi(
  ctx: BenchContext,
  env: Record<string, string>,
): Promise<<T>(query: string, variables: Record<string, unknown>) => Promise<T>> {
  const config = loadConfig({ ...env, NODE_ENV: 'production', API_PORT: '0', LOG_LEVEL: 'warn' });
  const app = await createApiApp({ config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  ctx.defer('stop the api', () => app.close());
  const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
  const { adminToken } = await app.get(WorkspacesService).create('bench');
  return async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors || !body.data) {
      throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    }
    return body.data;
  };
}

function passThroughEnv(): NodeJS.ProcessEnv {
  const names = ['PATH', 'HOME', 'TMPDIR', 'XDG_CACHE_HOME'].filter((name) => process.env[name] !== undefined);
  return Object.fromEntries(names.map((name) => [name, process.env[name]]));
}

export const CREATE_SOURCE = `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`;
export const SET_CREDENTIALS = `mutation($input: SetSourceCredentialsInput!) { setSourceCredentials(input: $input) { isSet } }`;
export const TRIGGER_SYNC = `mutation($sourceId: ID!, $object: String!) {
  triggerSourceSync(sourceId: $sourceId, object: $object) { workflowId runId }
}`;

/** A Stripe source with credentials, through GraphQL as a user would create it. */
export async function createStripeSource(stack: SyncStack, name: string): Promise<string> {
  const { createSource } = await stack.graphql<{ createSource: { id: string } }>(CREATE_SOURCE, {
    input: { name, kind: 'STRIPE', environment: 'PRODUCTION' },
  });
  await stack.graphql(SET_CREDENTIALS, {
    input: { sourceId: createSource.id, stripe: { secretKey: 'sk_test_tributary' } },
  });
  return createSource.id;
}

/** Asks the worker to reconcile until it serves `sources` source queues. */
export async function servedUpTo(stack: SyncStack, sources: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { served } = await stack.ask<{ served: number }>({ cmd: 'reconcile' });
    if (served >= sources) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the worker serves ${served} source queues, not ${sources}`);
    }
    await new Promise((resolveFn) => setTimeout(resolveFn, 300));
  }
}
