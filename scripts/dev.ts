// `npm run dev`: the local stack — Postgres, the Temporal dev server, api, ingest and worker in watch mode,
// an admin token — until Ctrl-C.
// `npm run dev -- --smoke`: a throwaway stack from a fresh build on free ports, checked end to end and
// stopped again; exits 0 only when every check passed (CI runs it as the first README command).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureAdminToken, errorCodes, postGraphql, SOURCES_QUERY } from './lib/admin-token';
import { type DevKeys, devKeysFromEnv, generateDevKeys, loadOrCreateDevKeys } from './lib/dev-keys';
import {
  API_SERVICE,
  DEMO_SERVICE,
  devAddress,
  INGEST_SERVICE,
  type ServiceAddress,
  serviceAddress,
} from './lib/dev-address';
import { startDemo } from './lib/dev-demo';
import { ANALYTICS_NEXT_DEMO_PATH } from './lib/dev-demo-page';
import {
  allSettledOrThrow,
  childEnv,
  createWorkspace,
  nodeScript,
  npmScript,
  type Run,
  runToEnd,
  seconds,
  serviceHooks,
  timed,
  useDatabase,
} from './lib/dev-run';
import { type Database, devDatabase, freshDatabase } from './lib/dev-postgres';
import { checkTemporalServer, devTemporal, freshTemporal, type Temporal } from './lib/dev-temporal';
import { freePort } from './lib/free-port';
import { OutputLog } from './lib/output-log';
import { describeExit, ProcessGroup } from './lib/process-group';
import { Stack } from './lib/stack';
import { onParentExit, onStopSignals } from './lib/stop-signals';
import { waitForHttpOk } from './lib/wait-for-http';
import { describeCounts, DEV_STRIPE_PORT, startStripe, stripeCounts, type StripeService } from './lib/dev-stripe';
import { DEV_HUBSPOT_PORT, startHubSpot } from './lib/dev-hubspot';
import { checkShopify, DEV_SHOPIFY_PORT, startShopify } from './lib/dev-shopify';
import { checkStripeSync } from './lib/smoke-sync';

const REPO_ROOT = resolve(__dirname, '..');
const DATA_DIR = join(REPO_ROOT, '.data');
const TOKEN_FILE = join(DATA_DIR, 'dev-admin-token');
const SMOKE_TIME_LIMIT_MS = 240_000;
const STOP_TIME_LIMIT_MS = 30_000;

function main(): void {
  const smoke = parseArgs(process.argv.slice(2));
  // A closed terminal or `| head` must not crash us half-way, leaving the children behind.
  [process.stdout, process.stderr].forEach((stream) => stream.on('error', () => undefined));
  const output = new OutputLog(!smoke);
  const name = smoke ? 'smoke' : 'dev';
  const run: Run = {
    smoke,
    stack: new Stack(),
    output,
    say: (line) => output.say(name, line),
    signals: onStopSignals((signal) => onSignal(run, signal)),
    fail: (reason) => void finish(run, 1, reason),
  };
  onParentExit(() => onSignal(run, 'parent process exited'));
  if (smoke) {
    // Kept referenced on purpose: it also keeps the process alive until finish() exits explicitly.
    setTimeout(() => run.fail(`time limit of ${SMOKE_TIME_LIMIT_MS / 1000} s exceeded`), SMOKE_TIME_LIMIT_MS);
  }
  (smoke ? runSmoke(run).then(() => finish(run, 0)) : runDev(run)).catch((error: unknown) =>
    run.fail(error instanceof Error ? error.message : String(error)),
  );
}

/** True for `--smoke`; anything else is refused rather than silently ignored. */
function parseArgs(args: string[]): boolean {
  const unknown = args.filter((arg) => arg !== '--smoke');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument ${unknown.join(' ')}; usage: npm run dev [-- --smoke]\n`);
    process.exit(2);
  }
  return args.includes('--smoke');
}

// ---------------------------------------------------------------------------------------------------
// npm run dev

async function runDev(run: Run): Promise<void> {
  mkdirSync(DATA_DIR, { recursive: true });
  // Every port is checked before anything starts.
  const api = await devAddress(process.env, API_SERVICE);
  const ingest = await devAddress(process.env, INGEST_SERVICE);
  const demo = await devAddress(process.env, DEMO_SERVICE);
  const keys = devKeys(run);
  const db = await useDatabase(run, () => devDatabase(process.env, DATA_DIR, run.output.for('postgres')));
  const temporal = await devTemporal(process.env, DATA_DIR, serviceHooks(run, 'temporal'));
  run.say(`Temporal ${temporal.description}`);
  const stripe = await startStripe(DEV_STRIPE_PORT, serviceHooks(run, 'stripe'));
  run.say(`Stripe ${stripe.description}`);
  run.say(`HubSpot ${await startHubSpot(DEV_HUBSPOT_PORT, serviceHooks(run, 'hubspot'))}`);
  run.say(`Shopify ${await startShopify(DEV_SHOPIFY_PORT, serviceHooks(run, 'shopify'))}`);
  const env = childEnv(keys, db.url, { api, ingest }, temporal, stripe.url);
  // The watchers compile the same dist/: starting each once the previous app runs keeps an app from
  // loading files another compiler is still writing. In watch mode a crashed app does not exit (nest
  // waits for a file change), hence the hints.
  run.stack.add(npmScript(run, 'api', ['start:api:dev'], env), run.fail);
  await waitForHttpOk(`${api.url}/health/ready`, {
    what: 'the api',
    timeoutMs: 120_000,
    hint: 'See the [api] lines above for why it did not start',
  });
  run.stack.add(npmScript(run, 'ingest', ['start:ingest:dev'], env), run.fail);
  await waitForHttpOk(`${ingest.url}/health/ready`, {
    what: 'ingest',
    timeoutMs: 120_000,
    hint: 'See the [ingest] lines above for why it did not start',
  });
  run.stack.add(npmScript(run, 'worker', ['start:worker:dev'], env), run.fail);
  const create = (): Promise<string> => createWorkspace(run, npmScript(run, 'cli', cliArgs(), env, true));
  const { token, reused } = await ensureAdminToken(TOKEN_FILE, api.url, create, run.say);
  await startDemo(run, demo, { api: api.url, ingestPublic: env.INGEST_PUBLIC_URL ?? ingest.url }, token, DATA_DIR);
  printBanner({ api, ingest, demo }, token, reused, db, temporal, stripe);
}

function devKeys(run: Run): DevKeys {
  const fromEnv = devKeysFromEnv(process.env);
  if (fromEnv) {
    run.say('using ENCRYPTION_KEYS from the environment');
    return fromEnv;
  }
  const { keys, created } = loadOrCreateDevKeys(join(DATA_DIR, 'dev-keys'));
  run.say(created ? 'generated the local keyring .data/dev-keys' : 'using the keyring in .data/dev-keys');
  return keys;
}

function cliArgs(): string[] {
  return ['cli', '--', 'create-workspace', 'Default workspace', '--json'];
}

function printBanner(
  { api, ingest, demo }: { api: ServiceAddress; ingest: ServiceAddress; demo: ServiceAddress },
  token: string,
  reused: boolean,
  db: Database,
  temporal: Temporal,
  stripe: StripeService,
): void {
  const rule = '─'.repeat(72);
  const curlBody = JSON.stringify({ query: SOURCES_QUERY });
  const lines = [
    rule,
    '  Tributary dev stack is up',
    `  GraphiQL     ${api.url}/graphql`,
    `  Admin token  ${token}`,
    `               (${reused ? 'reused from' : 'new, saved in'} .data/dev-admin-token)`,
    `  Send it as   Authorization: Bearer ${token}`,
    `               in GraphiQL's Headers tab: {"Authorization": "Bearer ${token}"}`,
    `  Try it       curl -s ${api.url}/graphql -H 'content-type: application/json' \\`,
    `                 -H 'authorization: Bearer ${token}' -d '${curlBody}'`,
    `  Ingest       ${ingest.url} (tracking API, SDK settings, browser SDK, webhooks)`,
    `  Demo page    ${demo.url} (Tributary's snippet → the "Demo web" source, which allows this origin)`,
    `               ${demo.url.replace(/\/$/, '')}${ANALYTICS_NEXT_DEMO_PATH} (the same through analytics-next)`,
    `  Postgres     ${db.description}`,
    `  Temporal UI  ${temporal.uiUrl ?? '(unknown: set TEMPORAL_UI_URL)'}`,
    `  Temporal     ${temporal.description}`,
    `  Stripe       ${stripe.description}`,
    '  Stop         Ctrl-C (stops api, ingest, worker, and the Postgres, Temporal and emulator started here)',
    rule,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------------
// npm run dev -- --smoke

async function runSmoke(run: Run): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'tributary-smoke-'));
  run.stack.addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  // The build, Postgres' and Temporal's start-up are independent: overlap them.
  const [, db, temporal] = await allSettledOrThrow(
    timed(run, 'build', () => runToEnd(run, npmScript(run, 'build', ['build'], process.env), 180_000)),
    timed(run, 'postgres', () => useDatabase(run, () => freshDatabase(process.env, dir, run.output.for('postgres')))),
    timed(run, 'temporal started', () => freshTemporal(dir, serviceHooks(run, 'temporal'))),
  );
  await timed(run, 'temporal', () => checkTemporalServer(temporal));
  const stripe = await timed(run, 'stripe emulator', async () =>
    startStripe(await freePort(), serviceHooks(run, 'stripe')),
  );
  const shopifyPort = await freePort();
  await timed(run, 'shopify emulator', async () => {
    await startShopify(shopifyPort, serviceHooks(run, 'shopify'));
    return checkShopify(shopifyPort);
  });
  const api = serviceAddress('127.0.0.1', await freePort());
  const ingest = serviceAddress('127.0.0.1', await freePort());
  const keys = devKeysFromEnv(process.env) ?? generateDevKeys();
  const env = {
    ...childEnv(keys, db.url, { api, ingest }, temporal, stripe.url),
    INGEST_PUBLIC_URL: ingest.url,
    // The build output runs as it does in the image: the worker loads the prebuilt workflow bundle.
    NODE_ENV: 'production',
  };
  run.stack.add(nodeScript(run, 'api', ['dist/apps/api/src/main.js'], env), run.fail);
  const ingestGroup = run.stack.add(nodeScript(run, 'ingest', ['dist/apps/ingest/src/main.js'], env), run.fail);
  const worker = run.stack.add(nodeScript(run, 'worker', ['dist/apps/worker/src/main.js'], env), run.fail);
  await timed(run, `api ready on ${api.url}`, () =>
    waitForHttpOk(`${api.url}/health/ready`, { what: 'the api', timeoutMs: 90_000 }),
  );
  await timed(run, `ingest ready on ${ingest.url}`, () =>
    waitForHttpOk(`${ingest.url}/health/ready`, { what: 'ingest', timeoutMs: 60_000 }),
  );
  const cli = ['dist/apps/cli/src/main.js', 'create-workspace', 'Smoke', '--json'];
  const token = await timed(run, 'create-workspace', () =>
    createWorkspace(run, nodeScript(run, 'cli', cli, env, true)),
  );
  await timed(run, 'GraphQL sources query', () => checkSourcesQuery(api.url, token));
  const expected = await stripeCounts(stripe.url);
  await timed(run, `Stripe sync of every object through Temporal and the worker (${describeCounts(expected)})`, () =>
    checkStripeSync(api.url, token, expected, ingest.url),
  );
  await timed(run, 'ingest alive and stops cleanly', () => stopCleanly(ingestGroup));
  await timed(run, 'worker alive and stops cleanly', () => stopCleanly(worker));
  run.say(`all checks passed in ${seconds(started)} s; stopping`);
}

/** The exact answer a brand-new workspace must give. */
async function checkSourcesQuery(apiUrl: string, token: string): Promise<void> {
  const expected = JSON.stringify({ data: { sources: { totalCount: 0 } } });
  const answer = await postGraphql(apiUrl, token, SOURCES_QUERY);
  const actual = JSON.stringify(answer.body);
  if (answer.status !== 200 || actual !== expected) {
    const codes = errorCodes(answer.body);
    throw new Error(
      `POST /graphql ${SOURCES_QUERY} answered HTTP ${answer.status} ${actual}` +
        `${codes.length ? ` (errors: ${codes.join(', ')})` : ''}; expected HTTP 200 ${expected}`,
    );
  }
}

/** Still running after the checks, and exits 0 on SIGTERM. */
async function stopCleanly(group: ProcessGroup): Promise<void> {
  const early = group.exitStatus();
  if (early) {
    throw new Error(`${group.name} ${describeExit(early)} before the checks finished`);
  }
  await group.stop();
  const status = await group.exited;
  if (status.code !== 0) {
    throw new Error(`${group.name} did not stop cleanly on SIGTERM: it ${describeExit(status)}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Stopping

let finishing: Promise<void> | undefined;

/** Ctrl-C ends `npm run dev` normally (exit 0); it interrupts a smoke run (exit 1). */
function onSignal(run: Run, cause: string): void {
  if (run.smoke) {
    run.fail(`interrupted (${cause})`);
  } else {
    run.say(finishing ? `${cause}: already stopping` : `${cause}: stopping the stack`);
    void finish(run, 0);
  }
}

/** Stops everything this run started, then exits; the first call decides the exit code. */
function finish(run: Run, code: number, failure?: string): Promise<void> {
  finishing ??= stopAndExit(run, code, failure);
  return finishing;
}

async function stopAndExit(run: Run, code: number, failure?: string): Promise<void> {
  if (failure) {
    reportFailure(run, failure);
  }
  if (failure || run.smoke) {
    run.say('stopping…');
  }
  // If stopping itself hangs, leave anyway rather than hang the terminal or CI.
  setTimeout(() => process.exit(code || 1), STOP_TIME_LIMIT_MS).unref();
  try {
    await run.stack.stop();
  } catch (error) {
    run.say(`could not stop everything: ${error instanceof Error ? error.message : String(error)}`);
    code ||= 1;
  }
  run.say(code === 0 ? 'stopped' : 'stopped (failed)');
  process.exit(code);
}

function reportFailure(run: Run, reason: string): void {
  const tail = run.output.tail(40);
  if (run.smoke) {
    // The children's output was kept quiet; show what led up to the failure.
    process.stdout.write(`--- last ${tail.length} lines of output ---\n${tail.join('\n')}\n---\n`);
  }
  run.say(`FAILED: ${reason}`);
}

main();
