// B4: fan-out. 200 Stripe sources with one page each, 200 GraphQL triggers at once; each latency runs
// from just before its trigger to the end of its workflow. Baseline in the same run: 200 no-op workflows,
// each running one no-op activity on its own `source-<id>` queue, served in the same worker process by
// activity-only workers built like the registry's.
import { sourceTaskQueue } from '@app/temporal/task-queues';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchContext } from '../lib/harness';
import { round2 } from '../lib/harness';
import { createStripeSource, servedUpTo, type SyncStack, TRIGGER_SYNC } from './stack';

export const NOOP_WORKFLOW_QUEUE = 'bench-noop-workflows';
const CUSTOMERS_PER_SOURCE = 5;
const CREATE_CONCURRENCY = 8;

export interface Latencies {
  p50Ms: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  /** From the first trigger to the last completion. */
  wallSeconds: number;
}

export interface B4Round {
  /** engine p50 / baseline p50 in this round. */
  p50Ratio: number;
  p99Ratio: number;
  /** `retries` summed over the round's sync runs (activity attempts after the first). */
  engine: Latencies & { loadAverage1m: number; retries: number };
  baseline: Latencies & { loadAverage1m: number };
}

export interface B4Result {
  sources: number;
  recordsReadEach: number;
  /**
   * Round 1 is every source's first sync, on queues served but not used yet (both workflow workers already
   * warm); later rounds run the same again at once (the engine re-reads its page, rows unchanged).
   */
  rounds: B4Round[];
}

const ROUNDS = 3;

/** Creates the sources and has the worker serve them (not timed). Returns their ids. */
export async function prepareFanOut(ctx: BenchContext, stack: SyncStack, sources: number): Promise<string[]> {
  ctx.step(`B4: creating ${sources} Stripe sources with credentials`);
  await stack.emulator('/reset', { customers: CUSTOMERS_PER_SOURCE });
  await stack.emulator('/latency', { ms: 0 });
  const ids: string[] = [];
  for (let i = 0; i < sources; i += CREATE_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CREATE_CONCURRENCY, sources - i) }, (_, j) => i + j + 1);
    ids.push(...(await Promise.all(batch.map((n) => createStripeSource(stack, `bench fan-out ${n}`)))));
  }
  return ids;
}

export async function serveFanOut(ctx: BenchContext, stack: SyncStack, total: number): Promise<void> {
  ctx.step(`B4: reconciling until the worker serves ${total} source queues`);
  await servedUpTo(stack, total);
}

export async function runFanOut(ctx: BenchContext, stack: SyncStack, sourceIds: string[]): Promise<B4Result> {
  ctx.step('B4: baseline workers (one workflow worker, activity-only workers on fresh source-<id> queues)');
  const [warmUpQueue, ...queues] = [...sourceIds, 'warm-up'].map(() => sourceTaskQueue(randomUUID()));
  await stack.ask({
    cmd: 'noopFanOut',
    bundlePath: await bundleNoop(stack),
    workflowQueue: NOOP_WORKFLOW_QUEUE,
    queues: [warmUpQueue, ...queues],
  });
  // The engine's workflow worker has run syncs already: so must the baseline's before it is timed.
  await noopWorkflow(stack, warmUpQueue);
  const rounds: B4Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    ctx.step(`B4 round ${round}: ${sourceIds.length} engine syncs triggered at once`);
    const engineLoad = loadavg()[0];
    const engine = latencies(await timedAll(sourceIds, (sourceId) => engineSync(stack, sourceId)));
    const retries = await expectSucceeded(stack, sourceIds, round);
    ctx.step(`B4 round ${round}: ${queues.length} no-op workflows started at once`);
    const baselineLoad = loadavg()[0];
    const baseline = latencies(await timedAll(queues, (taskQueue) => noopWorkflow(stack, taskQueue)));
    ctx.log(`p50 engine ${engine.p50Ms} ms, baseline ${baseline.p50Ms} ms`);
    rounds.push({
      p50Ratio: round3(engine.p50Ms / baseline.p50Ms),
      p99Ratio: round3(engine.p99Ms / baseline.p99Ms),
      engine: { ...engine, loadAverage1m: round2(engineLoad), retries },
      baseline: { ...baseline, loadAverage1m: round2(baselineLoad) },
    });
  }
  return { sources: sourceIds.length, recordsReadEach: CUSTOMERS_PER_SOURCE, rounds };
}

async function engineSync(stack: SyncStack, sourceId: string): Promise<void> {
  const { triggerSourceSync } = await stack.graphql<{ triggerSourceSync: { workflowId: string; runId: string } }>(
    TRIGGER_SYNC,
    { sourceId, object: 'customers' },
  );
  await stack.temporal.workflow.getHandle(triggerSourceSync.workflowId, triggerSourceSync.runId).result();
}

async function noopWorkflow(stack: SyncStack, taskQueue: string): Promise<void> {
  const handle = await stack.temporal.workflow.start('benchNoopWorkflow', {
    taskQueue: NOOP_WORKFLOW_QUEUE,
    workflowId: `bench-noop-${randomUUID()}`,
    args: [taskQueue],
  });
  await handle.result();
}

/** Every source has `runs` SUCCEEDED runs, each of which read its one page. Returns the latest runs' retries. */
async function expectSucceeded(stack: SyncStack, sourceIds: string[], runs: number): Promise<number> {
  const { rows } = await stack.db.query<{ ok: string; retries: string }>(
    `SELECT count(*) FILTER (WHERE status = 'SUCCEEDED' AND records_read = $2) AS ok,
            (SELECT coalesce(sum(retries), 0) FROM (SELECT DISTINCT ON (source_id) retries FROM sync_runs
               WHERE source_id = ANY($1) ORDER BY source_id, started_at DESC) latest) AS retries
     FROM sync_runs WHERE source_id = ANY($1)`,
    [sourceIds, CUSTOMERS_PER_SOURCE],
  );
  if (Number(rows[0].ok) !== sourceIds.length * runs) {
    throw new Error(
      `B4: ${rows[0].ok} runs SUCCEEDED with ${CUSTOMERS_PER_SOURCE} reads, not ${sourceIds.length * runs}`,
    );
  }
  return Number(rows[0].retries);
}

interface Timed {
  ms: number[];
  wallSeconds: number;
}

/** Starts `work` for every item at once; each one's time runs from its own start to its own end. */
async function timedAll<T>(items: T[], work: (item: T) => Promise<void>): Promise<Timed> {
  const started = performance.now();
  const ms = await Promise.all(
    items.map(async (item) => {
      const start = performance.now();
      await work(item);
      return performance.now() - start;
    }),
  );
  return { ms, wallSeconds: (performance.now() - started) / 1000 };
}

function latencies({ ms, wallSeconds }: Timed): Latencies {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => round2(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return { p50Ms: at(0.5), p99Ms: at(0.99), minMs: round2(sorted[0]), maxMs: at(1), wallSeconds: round2(wallSeconds) };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function bundleNoop(stack: SyncStack): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./noop.workflow'),
    logger: new DefaultLogger('WARN'),
  });
  const path = join(stack.tmpDir, 'noop-workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}
