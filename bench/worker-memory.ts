// Worker RSS after GC with 0, 1 and 200 per-source activity queues, then with one extra full Worker,
// all in one run against a real Temporal dev server and PostgreSQL. The worker app runs in a child
// process (bench/worker-memory.child.ts) so that its RSS is its own.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { workflowBundlerOptions } from '../apps/worker/src/temporal/workflow-bundle';
import { type Bench, type BenchContext, mb, round2, sleep } from './lib/harness';
import { IpcChild } from './lib/ipc-child';
import { type BenchServers, startServers } from './lib/servers';
import { type OpenPolls, openPolls, pollsSince } from './lib/temporal-polls';
import type { MemorySample, WorkerMemoryCommand as Request } from './worker-memory.child';

const REPO_ROOT = resolve(__dirname, '..');
const TARGET_MB_PER_QUEUE = 2;
const RECONCILE_TIMEOUT_MS = 60_000;
// ts-node's CLI registers itself in the main thread only. `-r ts-node/register` would be inherited by every
// workflow worker_thread (loading ts-node and its compiler there too: measured +35–55 MB per full Worker),
// which a compiled deployment never pays.
const CHILD_NODE_ARGS = ['--expose-gc', require.resolve('ts-node/dist/bin'), 'bench/worker-memory.child.ts'];

type Phase = 'q0' | 'q1' | 'q200' | 'withExtraFullWorker';

interface PhaseDetail {
  heapUsedMb: number;
  externalMb: number;
  threads: number;
  /** Long-polls the server holds for the worker (namespace default, the server's own subtracted). */
  openPolls?: OpenPolls;
}

export interface WorkerMemoryResult {
  bench: 'worker-memory';
  date: string;
  node: string;
  temporalCli: string;
  sourcesMeasured: number[];
  rssMb: Record<Phase, number>;
  mbPerAddedQueue: number;
  firstQueueMb: number;
  fullWorkerMb: number;
  ratioPerQueueToFullWorker: number;
  targetMbPerQueue: number;
  meetsTarget: boolean;
  pollersNote: string;
  detail: Record<Phase, PhaseDetail>;
  durationSeconds: number;
}

export const workerMemory: Bench<WorkerMemoryResult> = {
  name: 'worker-memory',
  description: 'worker RSS after GC with 0, 1 and 200 source queues, and with one extra full Worker',
  timeLimitMs: 10 * 60_000,
  run,
};

async function run(ctx: BenchContext): Promise<WorkerMemoryResult> {
  const started = Date.now();
  ctx.step('starting PostgreSQL and the Temporal dev server');
  const servers = await startServers(ctx);
  const db = new Client({ connectionString: servers.databaseUrl });
  await db.connect();
  ctx.defer('close the bench database connection', () => db.end());
  const workspaceId = await createWorkspace(db);
  ctx.step('bundling the workflow code (for the extra full Worker)');
  const bundlePath = await bundleWorkflows(servers.tmpDir);
  const metricsUrl = servers.temporalMetricsUrl;
  const serverPolls = metricsUrl ? await openPolls(metricsUrl) : undefined;

  ctx.step('starting the worker app in a child process');
  const child = IpcChild.spawn('worker child', CHILD_NODE_ARGS, { cwd: REPO_ROOT, env: childEnv(servers) });
  ctx.defer('stop the worker child', () => child.stop({ cmd: 'stop' }, 30_000));
  await child.ready();
  const ask = <T>(request: Request): Promise<T> => child.request<T>(request);

  const samples = {} as Record<Phase, { memory: MemorySample; polls?: OpenPolls }>;
  const measure = async (phase: Phase): Promise<void> => {
    ctx.step(`measuring ${phase}`);
    const memory = await ask<MemorySample>({ cmd: 'measure' });
    const polls = metricsUrl && serverPolls ? pollsSince(serverPolls, await openPolls(metricsUrl)) : undefined;
    samples[phase] = { memory, polls };
    ctx.log(`${phase}: rss ${mb(memory.rss)} MB, ${memory.threads} threads, polls ${JSON.stringify(polls)}`);
  };

  await measure('q0');
  for (const [phase, sources] of [
    ['q1', 1],
    ['q200', 200],
  ] as const) {
    ctx.step(`adding sources up to ${sources} and reconciling`);
    await addSourcesUpTo(db, workspaceId, sources);
    await reconcileUntilServed(ask, sources);
    await measure(phase);
  }
  ctx.step('starting one extra full Worker');
  await ask({ cmd: 'fullWorker', bundlePath });
  await measure('withExtraFullWorker');
  return report(servers, samples, started);
}

function report(
  servers: BenchServers,
  samples: Record<Phase, { memory: MemorySample; polls?: OpenPolls }>,
  started: number,
): WorkerMemoryResult {
  const rss = (phase: Phase): number => samples[phase].memory.rss / 1024 / 1024;
  const perQueue = (rss('q200') - rss('q1')) / 199;
  const fullWorker = rss('withExtraFullWorker') - rss('q200');
  const phases: Phase[] = ['q0', 'q1', 'q200', 'withExtraFullWorker'];
  return {
    bench: 'worker-memory',
    date: new Date().toISOString(),
    node: process.version,
    temporalCli: servers.temporalCli,
    sourcesMeasured: [0, 1, 200],
    rssMb: Object.fromEntries(phases.map((p) => [p, round2(rss(p))])) as Record<Phase, number>,
    mbPerAddedQueue: round2(perQueue),
    firstQueueMb: round2(rss('q1') - rss('q0')),
    fullWorkerMb: round2(fullWorker),
    // Two decimals would print 0 here: four.
    ratioPerQueueToFullWorker: Math.round((perQueue / fullWorker) * 10_000) / 10_000,
    targetMbPerQueue: TARGET_MB_PER_QUEUE,
    meetsTarget: perQueue <= TARGET_MB_PER_QUEUE,
    pollersNote: pollersNote(samples),
    detail: Object.fromEntries(
      phases.map((p) => {
        const { memory, polls } = samples[p];
        const detail: PhaseDetail = {
          heapUsedMb: mb(memory.heapUsed),
          externalMb: mb(memory.external),
          threads: memory.threads,
          openPolls: polls,
        };
        return [p, detail];
      }),
    ) as Record<Phase, PhaseDetail>,
    durationSeconds: round2((Date.now() - started) / 1000),
  };
}

function pollersNote(samples: Record<Phase, { polls?: OpenPolls }>): string {
  const design =
    'Source workers are activity-only (autoscaling activity pollers, minimum 1) and poll no workflow tasks; ' +
    'the full Workers poll both.';
  const {
    q1,
    q200,
    withExtraFullWorker: extra,
  } = {
    q1: samples.q1.polls,
    q200: samples.q200.polls,
    withExtraFullWorker: samples.withExtraFullWorker.polls,
  };
  if (!q1 || !q200 || !extra) {
    return `${design} Open polls not counted (the dev server printed no metrics address).`;
  }
  const perQueue = round2((q200.activity - q1.activity) / 199);
  return (
    `${design} Open long-polls held by the server (frontend service_pending_requests): ` +
    `${perQueue} activity polls per added source queue (${q200.activity} activity / ${q200.workflow} workflow ` +
    `at 200 sources); the extra full Worker added ${extra.activity - q200.activity} activity and ` +
    `${extra.workflow - q200.workflow} workflow polls.`
  );
}

function childEnv(servers: BenchServers): NodeJS.ProcessEnv {
  const passThrough = ['PATH', 'HOME', 'TMPDIR', 'XDG_CACHE_HOME'].filter((name) => process.env[name] !== undefined);
  return {
    ...Object.fromEntries(passThrough.map((name) => [name, process.env[name]])),
    NODE_ENV: 'production',
    DATABASE_URL: servers.databaseUrl,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_ACTIVE_KEY: 'v1',
    LOG_LEVEL: 'warn',
    // Only our explicit reconciles add workers.
    WORKER_RECONCILE_INTERVAL_SECONDS: '3600',
  };
}

async function bundleWorkflows(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../apps/worker/src/workflows'),
    ...workflowBundlerOptions(),
    logger: new DefaultLogger('WARN'),
  });
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}

async function createWorkspace(db: Client): Promise<string> {
  const result = await db.query<{ id: string }>(`INSERT INTO workspaces (name) VALUES ('bench') RETURNING id`);
  return result.rows[0].id;
}

/** Live STRIPE sources numbered 1..total (adds the missing ones). */
async function addSourcesUpTo(db: Client, workspaceId: string, total: number): Promise<void> {
  await db.query(
    `INSERT INTO sources (workspace_id, name, kind, environment, status, rate_limit, identity_settings)
     SELECT $1, 'bench-source-' || n, 'STRIPE', 'PRODUCTION', 'ACTIVE', $2::jsonb, $3::jsonb
     FROM generate_series((SELECT count(*) FROM sources WHERE workspace_id = $1) + 1, $4::int) AS n`,
    [workspaceId, '{"eventsPerSecond":1000,"burst":2000}', '{"mergeOn":[],"attachOnly":[]}', total],
  );
}

async function reconcileUntilServed(ask: <T>(request: Request) => Promise<T>, sources: number): Promise<void> {
  const deadline = Date.now() + RECONCILE_TIMEOUT_MS;
  for (;;) {
    const { served } = await ask<{ served: number }>({ cmd: 'reconcile' });
    if (served === sources) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the worker serves ${served} source queues, not ${sources}, after ${RECONCILE_TIMEOUT_MS / 1000} s`,
      );
    }
    await sleep(500);
  }
}
