// `npm run bench -- tracking-plan` (issue 11 item 1): B1 `/v1/track` on a source with a 20-event BLOCK
// tracking plan (every event conforming: the plan's cost without quarantine writes) against a source with
// no plan, on the same ingest process, in the same run, in alternating slices (runInterleaved). Target:
// plan requests/s ≥ 0.9 × no-plan requests/s at concurrency 8, 32 and 128.
import { type AppConfig, loadConfig } from '@app/config';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createKeyedSource, withBenchApi } from './lib/bench-api';
import { freePort } from '../scripts/lib/free-port';
import { type Bench, type BenchContext, type MachineFacts, type RatioCase, machineFacts, round2 } from './lib/harness';
import { startServers } from './lib/servers';
import { type LoadOptions, type LoadResult, failOnErrors, runInterleaved, runLoad } from './ingest/load';
import { startChild } from './ingest/processes';

const CONCURRENCIES = (process.env.BENCH_PLAN_CONCURRENCIES ?? '8,32,128').split(',').map(Number);
const RUN_MS = Number(process.env.BENCH_PLAN_SECONDS ?? 8) * 1000;
const WARM_UP_MS = 1500;
const SLICES = 8;
const TARGET = 0.9;
const RATE_LIMIT = { eventsPerSecond: 100_000, burst: 1_000_000 };
const PLAN_EVENTS = 20;

interface PlanCase extends RatioCase {
  higherIsBetter: true;
  withPlan: LoadResult;
  withoutPlan: LoadResult;
}

export interface TrackingPlanBenchResult {
  bench: 'tracking-plan';
  date: string;
  machine: MachineFacts;
  node: string;
  plan: { mode: 'BLOCK'; events: number };
  cases: PlanCase[];
}

export const trackingPlanBench: Bench<TrackingPlanBenchResult> = {
  name: 'tracking-plan',
  description: 'issue 11: B1 /v1/track with a 20-event BLOCK plan vs the same ingest without a plan',
  timeLimitMs: 15 * 60_000,
  run: runTrackingPlanBench,
};

const eventName = (i: number): string => `Event ${i % PLAN_EVENTS}`;

/** Each event's schema: typed, required fields and no others, as a real plan would have. */
const SCHEMA = JSON.stringify({
  type: 'object',
  required: ['orderId', 'total', 'currency'],
  additionalProperties: false,
  properties: {
    orderId: { type: 'string', maxLength: 100 },
    total: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
    items: { type: 'integer', minimum: 0 },
  },
});

async function runTrackingPlanBench(ctx: BenchContext): Promise<TrackingPlanBenchResult> {
  const loadAverageAtStart = loadavg().map(round2);
  ctx.step('starting PostgreSQL and Temporal');
  const servers = await startServers(ctx);
  const env = {
    DATABASE_URL: servers.databaseUrl,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_ACTIVE_KEY: 'v1',
    LOG_LEVEL: 'warn',
  };
  ctx.step('creating both sources and their write keys through GraphQL');
  const [planKey, plainKey] = await createSources(ctx, loadConfig({ ...env, NODE_ENV: 'production', API_PORT: '0' }));
  ctx.step('starting ingest (child process)');
  const port = await freePort();
  const ingest = await startChild(
    ctx,
    'ingest',
    ['apps/ingest/src/main.ts'],
    { ...env, NODE_ENV: 'production', INGEST_PORT: String(port), INGEST_HOST: '127.0.0.1' },
    `http://127.0.0.1:${port}`,
  );
  const auth = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
  const side =
    (key: string, prefix: string, concurrency: number, durationMs: number) =>
    (slice: number): LoadOptions => ({
      url: ingest.url,
      path: '/v1/track',
      headers: auth(key),
      body: (n) => trackBody(`${prefix}-${concurrency}-${slice}-${n}`, n),
      concurrency,
      durationMs,
      serverPid: ingest.child.pid,
      postgresPid: servers.postgresPid,
    });

  const cases: PlanCase[] = [];
  for (const concurrency of CONCURRENCIES) {
    ctx.step(`B1 at concurrency ${concurrency}`);
    await runLoad(side(planKey, 'wp', concurrency, WARM_UP_MS)(0));
    await runLoad(side(plainKey, 'wn', concurrency, WARM_UP_MS)(0));
    const [withPlan, withoutPlan] = await runInterleaved(
      side(planKey, 'p', concurrency, RUN_MS / SLICES),
      side(plainKey, 'n', concurrency, RUN_MS / SLICES),
      SLICES,
    );
    failOnErrors(withPlan, withoutPlan);
    const ratio = round2(withPlan.requestsPerSecond / withoutPlan.requestsPerSecond);
    cases.push({
      name: `B1 /v1/track with a ${PLAN_EVENTS}-event plan, concurrency ${concurrency}`,
      higherIsBetter: true,
      ratioDefinition: 'requests/s with a BLOCK plan (events conforming) ÷ requests/s without a plan, same ingest',
      ratio,
      target: TARGET,
      meets: ratio >= TARGET,
      withPlan,
      withoutPlan,
    });
    ctx.log(
      `c=${concurrency}: plan ${withPlan.requestsPerSecond}/s (${withPlan.serverCpuMsPerRequest} ms CPU/request), ` +
        `no plan ${withoutPlan.requestsPerSecond}/s (${withoutPlan.serverCpuMsPerRequest}): ratio ${ratio}`,
    );
  }
  return {
    bench: 'tracking-plan',
    date: new Date().toISOString(),
    machine: machineFacts(loadAverageAtStart),
    node: process.version,
    plan: { mode: 'BLOCK', events: PLAN_EVENTS },
    cases,
  };
}

function trackBody(messageId: string, n: number): string {
  return JSON.stringify({
    userId: `user-${n % 97}`,
    event: eventName(n),
    messageId,
    properties: { orderId: messageId, total: 42.5, currency: 'EUR', items: 3 },
    context: { library: { name: 'bench', version: '1' } },
  });
}

/** The two sources (with and without the plan) through the real api; returns their write keys. */
async function createSources(ctx: BenchContext, config: AppConfig): Promise<[string, string]> {
  const trackingPlan = {
    mode: 'BLOCK',
    events: Array.from({ length: PLAN_EVENTS }, (_, i) => ({ name: eventName(i), propertiesSchema: SCHEMA })),
  };
  const keys = await withBenchApi(config, 'bench', async (graphql) => {
    const planned = await createKeyedSource(graphql, {
      name: 'bench with plan',
      rateLimit: RATE_LIMIT,
      trackingConfig: { trackingPlan },
    });
    const plain = await createKeyedSource(graphql, { name: 'bench without plan', rateLimit: RATE_LIMIT });
    return [planned.writeKey, plain.writeKey] as [string, string];
  });
  ctx.log('api stopped (only ingest serves from here)');
  return keys;
}
