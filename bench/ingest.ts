// `npm run bench -- ingest`: issue 10's B1 (single-event /v1/track requests/s at concurrency 8, 32 and 128,
// p50/p99, against a bare Fastify server committing the same rows with the same group commit) and B2
// (/v1/batch of 100 events at concurrency 8, events/s against one COPY of the same rows into an empty events
// table of the same DDL). Ingest runs as its own process (its RSS is sampled under B1); the source's rate
// limit is set through GraphQL above the offered load. BENCH_INGEST_SECONDS (default 8) per B1 run;
// each run also reports the server process's CPU time per request.
import { buildDataSourceOptions } from '@app/database';
import { type AppConfig, loadConfig } from '@app/config';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createKeyedSource, withBenchApi } from './lib/bench-api';
import { freePort } from '../scripts/lib/free-port';
import { ensureEventPartitions } from '../libs/ingestion/src/event-partitions';
import { type Bench, type BenchContext, type MachineFacts, type RatioCase, machineFacts, round2 } from './lib/harness';
import { startServers } from './lib/servers';
import { type LoadResult, failOnErrors, runInterleaved, runLoad } from './ingest/load';
import { type B2Case, runB2 } from './ingest/b2';
import { rssMb, sampleRss, startChild } from './ingest/processes';

// BENCH_INGEST_CONCURRENCIES=8 runs B1 at those concurrencies only (a quicker look; the committed figures use all).
const CONCURRENCIES = (process.env.BENCH_INGEST_CONCURRENCIES ?? '8,32,128').split(',').map(Number);
const RUN_MS = Number(process.env.BENCH_INGEST_SECONDS ?? 8) * 1000;
const WARM_UP_MS = 1500;
/** Each side's B1 run is cut into this many slices, alternated with the other side's (runInterleaved). */
const SLICES = 8;
const RATE_LIMIT = { eventsPerSecond: 100_000, burst: 1_000_000 };

interface B1Case extends RatioCase {
  higherIsBetter: true;
  p50Ratio: number;
  p50Target: number;
  ingest: LoadResult;
  baseline: LoadResult;
  ingestRssMbMax: number;
}

export interface IngestBenchResult {
  bench: 'ingest';
  date: string;
  machine: MachineFacts;
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
    const [ingestRun, baselineRun] = await runInterleaved(
      (slice) => ({
        url: ingest.url,
        path: '/v1/track',
        headers: auth,
        body: track(`i${concurrency}-${slice}`),
        concurrency,
        durationMs: RUN_MS / SLICES,
        serverPid: ingest.child.pid,
        postgresPid: servers.postgresPid,
      }),
      (slice) => ({
        url: baseline.url,
        path: '/v1/track',
        headers: {},
        body: track(`b${concurrency}-${slice}`),
        concurrency,
        durationMs: RUN_MS / SLICES,
        serverPid: baseline.child.pid,
        postgresPid: servers.postgresPid,
      }),
      SLICES,
    );
    const rssMax = sampler.stop();
    maxRss = Math.max(maxRss, rssMax);
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
        `(CPU ms/request: ${ingestRun.serverCpuMsPerRequest} node, ${ingestRun.postgresCpuMsPerRequest} Postgres), ` +
        `baseline ${baselineRun.requestsPerSecond}/s p50 ${baselineRun.p50Ms} ms ` +
        `(${baselineRun.serverCpuMsPerRequest} node, ${baselineRun.postgresCpuMsPerRequest} Postgres)`,
    );
  }

  cases.push(
    await runB2(ctx, { url: ingest.url, headers: auth, pid: ingest.child.pid }, baselineUrl, servers.postgresPid),
  );

  return {
    bench: 'ingest',
    date: new Date().toISOString(),
    machine: machineFacts(loadAverageAtStart),
    node: process.version,
    postgres: 'embedded, ephemeral (fsync=off, synchronous_commit=off), one server for both sides',
    sides: {
      ingest:
        'apps/ingest/src/main.ts as its own process: write key, Origin, validation, rate limit, dedupe, group commit',
      baseline:
        'bench/ingest/baseline-server.ts: bare Fastify, same dedupe + event rows, same GroupCommit (2 in flight), one prepared statement per group as ingest, own empty database',
      copy: 'one COPY FROM STDIN of the rows ingest writes for the B2 events (its own COPY lines: same columns, same payloads) into the emptied events table of the baseline database',
      load: 'closed loop in the bench process over keep-alive connections (bench/ingest/load.ts); B1 sides alternate in 8 slices each',
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
  const { writeKey } = await withBenchApi(config, 'bench', (graphql) =>
    createKeyedSource(graphql, { name: 'bench web', rateLimit: RATE_LIMIT }),
  );
  ctx.log('api stopped (only ingest serves from here)');
  return writeKey;
}
