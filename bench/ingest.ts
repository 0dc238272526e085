// `npm run bench -- ingest`: issue 10's B1 (single-event /v1/track requests/s at concurrency 8, 32 and 128,
// p50/p99, against a bare Fastify server committing the same rows with the same group commit) and B2
// (/v1/batch of 100 events at concurrency 8, events/s against one COPY of the same rows into an empty events
// table of the same DDL). Ingest runs as its own process (its RSS is sampled under B1); the source's rate
// limit is set through GraphQL above the offered load. BENCH_INGEST_SECONDS (default 8) per B1 run;
// each run also reports the server process's CPU time per request.
import { WorkspacesService } from '@app/auth';
import { buildDataSourceOptions } from '@app/database';
import { type AppConfig, loadConfig } from '@app/config';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/create-api-app';
import { freePort } from '../scripts/lib/free-port';
import { ensureEventPartitions } from '../libs/ingestion/src/event-partitions';
import { type Bench, type BenchContext, mb, round2, sleep } from './lib/harness';
import { startServers } from './lib/servers';
import { type LoadResult, runLoad } from './ingest/load';
import { copyIn } from './sync/baseline';

const REPO_ROOT = resolve(__dirname, '..');
// BENCH_INGEST_CONCURRENCIES=8 runs B1 at those concurrencies only (a quicker look; the committed figures use all).
const CONCURRENCIES = (process.env.BENCH_INGEST_CONCURRENCIES ?? '8,32,128').split(',').map(Number);
const B2_CONCURRENCY = 8;
const B2_BATCH = 100;
const B2_BATCHES = Number(process.env.BENCH_INGEST_B2_BATCHES ?? 400);
const RUN_MS = Number(process.env.BENCH_INGEST_SECONDS ?? 8) * 1000;
const WARM_UP_MS = 1500;
const RATE_LIMIT = { eventsPerSecond: 100_000, burst: 1_000_000 };

interface B1Case {
  name: string;
  higherIsBetter: true;
  ratioDefinition: string;
  ratio: number;
  target: number;
  meets: boolean;
  p50Ratio: number;
  p50Target: number;
  ingest: LoadResult;
  baseline: LoadResult;
  ingestRssMbMax: number;
}

interface B2Case {
  name: string;
  higherIsBetter: true;
  ratioDefinition: string;
  ratio: number;
  target: number;
  meets: boolean;
  events: number;
  ingest: LoadResult & { eventsPerSecond: number };
  copy: { seconds: number; eventsPerSecond: number };
}

export interface IngestBenchResult {
  bench: 'ingest';
  date: string;
  machine: { cores: number; cpu: string; memoryGb: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  node: string;
  postgres: string;
  sides: Record<string, string>;
  rateLimit: typeof RATE_LIMIT;
  ingestRssMb: { idle: number; maxUnderB1: number };
  cases: Array<B1Case | B2Case>;
}

export const ingestBench: Bench<IngestBenchResult> = {
  name: 'ingest',
  description: 'issue 10: B1 single-event track vs a bare Fastify group commit; B2 batches vs COPY',
  timeLimitMs: 20 * 60_000,
  run: runIngestBench,
};

async function runIngestBench(ctx: BenchContext): Promise<IngestBenchResult> {
  const loadAverageAtStart = loadavg().map(round2);
  ctx.step('starting PostgreSQL and Temporal');
  const servers = await startServers(ctx);
  const baselineUrl = await createBaselineDatabase(ctx, servers.databaseUrl);
  const env = {
    DATABASE_URL: servers.databaseUrl,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_ACTIVE_KEY: 'v1',
    LOG_LEVEL: 'warn',
  };
  ctx.step('creating the source and its write key through GraphQL');
  const writeKey = await createTrackedSource(ctx, loadConfig({ ...env, NODE_ENV: 'production', API_PORT: '0' }));
  ctx.step('starting ingest (child process)');
  const ingestPort = await freePort();
  // LOG_LEVEL warn: its "listening" line is info, so readiness is its health probe.
  const ingest = await startChild(
    ctx,
    'ingest',
    ['apps/ingest/src/main.ts'],
    { ...env, NODE_ENV: 'production', INGEST_PORT: String(ingestPort), INGEST_HOST: '127.0.0.1' },
    `http://127.0.0.1:${ingestPort}`,
  );
  ctx.step('starting the baseline server (child process)');
  const baseline = await startChild(ctx, 'baseline', ['bench/ingest/baseline-server.ts'], {
    BASELINE_DATABASE_URL: baselineUrl,
  });
  const auth = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
  const idleRss = rssMb(ingest.child);

  const cases: Array<B1Case | B2Case> = [];
  let maxRss = idleRss;
  for (const concurrency of CONCURRENCIES) {
    ctx.step(`B1 at concurrency ${concurrency}`);
    const track = (prefix: string) => (n: number) => trackBody(`${prefix}-${n}`);
    await runLoad({
      url: ingest.url,
      path: '/v1/track',
      headers: auth,
      body: track(`w${concurrency}`),
      concurrency,
      durationMs: WARM_UP_MS,
    });
    await runLoad({
      url: baseline.url,
      path: '/v1/track',
      headers: {},
      body: track(`w${concurrency}`),
      concurrency,
      durationMs: WARM_UP_MS,
    });
    const sampler = sampleRss(ingest.child);
    const ingestRun = await runLoad({
      url: ingest.url,
      path: '/v1/track',
      headers: auth,
      body: track(`i${concurrency}`),
      concurrency,
      durationMs: RUN_MS,
      serverPid: ingest.child.pid,
    });
    const rssMax = sampler.stop();
    maxRss = Math.max(maxRss, rssMax);
    const baselineRun = await runLoad({
      url: baseline.url,
      path: '/v1/track',
      headers: {},
      body: track(`b${concurrency}`),
      concurrency,
      durationMs: RUN_MS,
      serverPid: baseline.child.pid,
    });
    failOnErrors(ingestRun, baselineRun);
    const ratio = round2(ingestRun.requestsPerSecond / baselineRun.requestsPerSecond);
    const p50Ratio = round2(ingestRun.p50Ms / Math.max(baselineRun.p50Ms, 0.01));
    cases.push({
      name: `B1 /v1/track, concurrency ${concurrency}`,
      higherIsBetter: true,
      ratioDefinition: 'ingest requests/s ÷ bare Fastify group-commit requests/s',
      ratio,
      target: 0.7,
      meets: ratio >= 0.7 && p50Ratio <= 2,
      p50Ratio,
      p50Target: 2,
      ingest: ingestRun,
      baseline: baselineRun,
      ingestRssMbMax: rssMax,
    });
    ctx.log(
      `B1 c=${concurrency}: ingest ${ingestRun.requestsPerSecond}/s p50 ${ingestRun.p50Ms} ms ` +
        `(${ingestRun.serverCpuMsPerRequest} CPU ms/request), baseline ${baselineRun.requestsPerSecond}/s ` +
        `p50 ${baselineRun.p50Ms} ms (${baselineRun.serverCpuMsPerRequest} CPU ms/request)`,
    );
  }

  ctx.step(`B2 /v1/batch of ${B2_BATCH} at concurrency ${B2_CONCURRENCY}`);
  const batches = Array.from({ length: B2_BATCHES }, (_, n) => batchEvents(n));
  const b2 = await runLoad({
    url: ingest.url,
    path: '/v1/batch',
    headers: auth,
    body: (n) => JSON.stringify({ batch: batches[n] }),
    concurrency: B2_CONCURRENCY,
    total: B2_BATCHES,
    serverPid: ingest.child.pid,
  });
  failOnErrors(b2);
  const events = b2.requests * B2_BATCH;
  const copy = await copyBaseline(baselineUrl, batches.flat());
  const b2Ratio = round2(events / b2.seconds / copy.eventsPerSecond);
  cases.push({
    name: `B2 /v1/batch of ${B2_BATCH}, concurrency ${B2_CONCURRENCY}`,
    higherIsBetter: true,
    ratioDefinition: 'ingest events/s ÷ one COPY of the same rows into an empty events table (same DDL)',
    ratio: b2Ratio,
    target: 0.85,
    meets: b2Ratio >= 0.85,
    events,
    ingest: { ...b2, eventsPerSecond: round2(events / b2.seconds) },
    copy,
  });
  ctx.log(`B2: ingest ${round2(events / b2.seconds)} events/s, COPY ${copy.eventsPerSecond} events/s`);

  return {
    bench: 'ingest',
    date: new Date().toISOString(),
    machine: {
      cores: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: round2(totalmem() / 1024 ** 3),
      loadAverageAtStart,
      loadAverageAtEnd: loadavg().map(round2),
    },
    node: process.version,
    postgres: 'embedded, ephemeral (fsync=off, synchronous_commit=off), one server for both sides',
    sides: {
      ingest:
        'apps/ingest/src/main.ts as its own process: write key, Origin, validation, rate limit, dedupe, group commit',
      baseline:
        'bench/ingest/baseline-server.ts: bare Fastify, same dedupe + event rows, same GroupCommit (2 in flight), one prepared statement per group as ingest, own empty database',
      copy: 'one COPY FROM STDIN of the B2 rows (text format) into the emptied events table of the baseline database',
      load: 'closed loop in the bench process over keep-alive connections (bench/ingest/load.ts)',
    },
    rateLimit: RATE_LIMIT,
    ingestRssMb: { idle: idleRss, maxUnderB1: maxRss },
    cases,
  };
}

function trackBody(messageId: string): string {
  return JSON.stringify({
    userId: `user-${messageId.length % 97}`,
    event: 'Order Completed',
    messageId,
    properties: { orderId: messageId, total: 42.5, currency: 'EUR', items: 3 },
    context: { library: { name: 'bench', version: '1' } },
  });
}

function batchEvents(n: number): Record<string, unknown>[] {
  const at = new Date().toISOString();
  return Array.from({ length: B2_BATCH }, (_, i) => ({
    type: 'track',
    userId: `user-${i % 97}`,
    event: 'Order Completed',
    messageId: `batch-${n}-${i}`,
    timestamp: at,
    properties: { orderId: `${n}-${i}`, total: 42.5, currency: 'EUR', items: 3 },
  }));
}

function failOnErrors(...runs: LoadResult[]): void {
  const bad = runs.find((r) => r.errors > 0);
  if (bad) {
    throw new Error(`${bad.errors} requests failed; first: ${bad.firstError}`);
  }
}

async function createBaselineDatabase(ctx: BenchContext, databaseUrl: string): Promise<string> {
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE tributary_bench_baseline');
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = '/tributary_bench_baseline';
  const ds = await new DataSource(
    buildDataSourceOptions({ url: url.toString(), poolSize: 2, applicationName: 'tributary-bench' }),
  ).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await ensureEventPartitions(ds.manager, new Date(), 1);
  } finally {
    await ds.destroy();
  }
  ctx.log('baseline database migrated (same DDL as ingest’s)');
  return url.toString();
}

async function createTrackedSource(ctx: BenchContext, config: AppConfig): Promise<string> {
  const app = await createApiApp({ config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
    const { adminToken } = await app.get(WorkspacesService).create('bench');
    const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: unknown[] };
      if (body.errors || !body.data) {
        throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      }
      return body.data;
    };
    const { createSource } = await graphql<{ createSource: { id: string } }>(
      `
        mutation ($input: CreateSourceInput!) {
          createSource(input: $input) {
            id
          }
        }
      `,
      { input: { name: 'bench web', kind: 'NODEJS', environment: 'PRODUCTION', rateLimit: RATE_LIMIT } },
    );
    const { issueWriteKey } = await graphql<{ issueWriteKey: { secret: string } }>(
      `
        mutation ($sourceId: ID!) {
          issueWriteKey(sourceId: $sourceId) {
            secret
          }
        }
      `,
      { sourceId: createSource.id },
    );
    return issueWriteKey.secret;
  } finally {
    ctx.log('api stopped (only ingest serves from here)');
    await app.close();
  }
}

async function startChild(
  ctx: BenchContext,
  name: string,
  args: string[],
  env: Record<string, string>,
  knownUrl?: string,
): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_INGEST_CPU_PROFILE=<dir>: V8 CPU profiles of both servers (open in Chrome DevTools) to see where
  // a figure goes; off by default, since profiling slows what it measures.
  const profile = process.env.BENCH_INGEST_CPU_PROFILE;
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...flags, '-r', 'ts-node/register', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ctx.defer(`stop ${name}`, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const found = knownUrl ?? /listening on (http:\/\/[\d.:]+)/.exec(out)?.[1];
    const ready = knownUrl
      ? await fetch(`${knownUrl}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      : found !== undefined;
    if (found && ready) {
      return { child, url: found };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${name} did not start: ${out}`);
    }
    await sleep(200);
  }
}

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return mb(kb * 1024);
}

function sampleRss(child: ChildProcess): { stop: () => number } {
  let max = rssMb(child);
  const timer = setInterval(() => (max = Math.max(max, rssMb(child))), 250);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(max, rssMb(child));
    },
  };
}

async function copyBaseline(
  databaseUrl: string,
  events: Record<string, unknown>[],
): Promise<{ seconds: number; eventsPerSecond: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('TRUNCATE events');
    const sourceId = randomUUID();
    const at = new Date().toISOString();
    // The same columns ingest fills for these events; JSON escapes control characters, so only `\` doubles.
    const text = Buffer.from(
      events
        .map((e) =>
          [sourceId, e.messageId, 'track', e.event, e.userId, at, at, JSON.stringify(e).replaceAll('\\', '\\\\')].join(
            '\t',
          ),
        )
        .join('\n') + '\n',
    );
    const started = performance.now();
    await copyIn(
      db,
      'COPY events (source_id, message_id, type, event, user_id, timestamp, received_at, payload) FROM STDIN',
      text,
    );
    const seconds = (performance.now() - started) / 1000;
    return { seconds: round2(seconds), eventsPerSecond: round2(events.length / seconds) };
  } finally {
    await db.end();
  }
}
