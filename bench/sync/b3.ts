// B3: a first sync of N customers through the real engine (trigger through GraphQL, the real worker,
// the real `records` table), against the sequential baseline script, with the same emulator, page size
// and Postgres, in the same run.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BenchContext } from '../lib/harness';
import { round2 } from '../lib/harness';
import {
  BASELINE_TABLE,
  type BaselineResult,
  type BenchObject,
  PAGE_SIZE,
  recreateBaselineTable,
  runBaseline,
} from './baseline';
import { createStripeSource, servedUpTo, type SyncStack, TRIGGER_SYNC } from './stack';

export interface EngineRun {
  seconds: number;
  /** The run row as the worker left it. */
  status: string;
  recordsRead: number;
  recordsInserted: number;
  pages: number;
  /** Activity attempts after the first, as the run row counts them. */
  retries: number;
  /** Workflow executions the run took (continue-as-new after 200 batches). */
  workflowRuns: number;
}

export interface B3Case {
  name: string;
  higherIsBetter: true;
  ratioDefinition: string;
  ratio: number;
  target: number;
  stretch?: number;
  meets: boolean;
  object: BenchObject;
  records: number;
  latencyMsPerRequest: number;
  /** Each with the 1-minute load average just before it started (the machine is shared). */
  engine: EngineRun & { loadAverage1m: number };
  baseline: BaselineResult & { loadAverage1m: number };
  /** The engine's records and the baseline table hold exactly the same ids, N of them. */
  sameIds: boolean;
}

type CaseOptions = {
  name: string;
  /** The Stripe object synced (customers when absent); `records` of it are seeded. */
  object?: BenchObject;
  records: number;
  latencyMs: number;
  target: number;
  stretch?: number;
};

export async function runB3Case(ctx: BenchContext, stack: SyncStack, options: CaseOptions): Promise<B3Case> {
  const { records, latencyMs } = options;
  const object = options.object ?? 'customers';
  ctx.step(`${options.name}: seeding ${records} ${object}, latency ${latencyMs} ms`);
  await stack.emulator('/reset', seedFor(object, records));
  await stack.emulator('/latency', { ms: latencyMs });
  await stack.db.query('TRUNCATE records');
  await recreateBaselineTable(stack.db, object);
  const sourceId = await createStripeSource(stack, `bench ${options.name}`);
  await servedUpTo(stack, await liveSources(stack));

  ctx.step(`${options.name}: baseline script`);
  await checkpoint(stack);
  const baselineLoad = loadavg()[0];
  const baseline = await runBaseline(stack.db, stack.emulatorUrl, object);
  ctx.log(`baseline ${round2(baseline.seconds)} s (fetch ${round2(baseline.fetchSeconds)} s)`);
  ctx.step(`${options.name}: engine sync`);
  await checkpoint(stack);
  const engineLoad = loadavg()[0];
  const engine = await syncThroughEngine(stack, sourceId, object);
  ctx.log(`engine ${round2(engine.seconds)} s, run ${engine.status}, ${engine.recordsRead} read`);
  const sameIds = await sameIdsBothSides(stack, sourceId, records);
  if (engine.status !== 'SUCCEEDED' || engine.recordsInserted !== records || !sameIds) {
    throw new Error(`${options.name}: results differ: ${JSON.stringify({ engine, baseline, sameIds })}`);
  }
  return {
    ...verdict(options, baseline.seconds / engine.seconds),
    engine: { ...engine, seconds: round2(engine.seconds), loadAverage1m: round2(engineLoad) },
    baseline: {
      ...baseline,
      loadAverage1m: round2(baselineLoad),
      seconds: round2(baseline.seconds),
      fetchSeconds: round2(baseline.fetchSeconds),
      writeSeconds: round2(baseline.writeSeconds),
    },
    sameIds,
  };
}

function verdict(options: CaseOptions, ratio: number): Omit<B3Case, 'engine' | 'baseline' | 'sameIds'> {
  return {
    name: options.name,
    higherIsBetter: true,
    ratioDefinition: 'baseline seconds / engine seconds',
    ratio: round3(ratio),
    target: options.target,
    ...(options.stretch === undefined ? {} : { stretch: options.stretch }),
    meets: ratio >= options.target,
    object: options.object ?? 'customers',
    records: options.records,
    latencyMsPerRequest: options.latencyMs,
  };
}

/** From just before the GraphQL trigger to the end of the workflow (its last step marks the run SUCCEEDED). */
export async function syncThroughEngine(
  stack: SyncStack,
  sourceId: string,
  object: string = 'customers',
): Promise<EngineRun> {
  const started = performance.now();
  const triggeredAt = new Date().toISOString();
  const { triggerSourceSync } = await stack.graphql<{ triggerSourceSync: { workflowId: string; runId: string } }>(
    TRIGGER_SYNC,
    { sourceId, object },
  );
  const { workflowId, runId } = triggerSourceSync;
  await stack.temporal.workflow.getHandle(workflowId, runId).result(); // follows continue-as-new
  const seconds = (performance.now() - started) / 1000;
  const row = await stack.db.query<{
    status: string;
    records_read: number;
    records_inserted: number;
    pages: number;
    retries: number;
  }>(
    `SELECT status, records_read, records_inserted, pages, retries FROM sync_runs
     WHERE source_id = $1 ORDER BY started_at DESC LIMIT 1`,
    [sourceId],
  );
  const executions = await countExecutions(stack, workflowId, triggeredAt);
  const run = row.rows[0];
  return {
    seconds,
    status: run.status,
    recordsRead: run.records_read,
    recordsInserted: run.records_inserted,
    pages: run.pages,
    retries: run.retries,
    workflowRuns: executions,
  };
}

/** This run's executions: a source's later runs of an object reuse its workflow id (incremental after full). */
async function countExecutions(stack: SyncStack, workflowId: string, since: string): Promise<number> {
  let count = 0;
  const query = `WorkflowId = '${workflowId}' AND StartTime >= '${since}'`;
  for await (const _execution of stack.temporal.workflow.list({ query })) {
    count++;
  }
  return count;
}

async function sameIdsBothSides(stack: SyncStack, sourceId: string, records: number): Promise<boolean> {
  const { rows } = await stack.db.query<{ engine: string; baseline: string; differ: string }>(
    `SELECT (SELECT count(*) FROM records WHERE source_id = $1 AND deleted_at IS NULL) AS engine,
            (SELECT count(*) FROM ${BASELINE_TABLE}) AS baseline,
            (SELECT count(*) FROM (SELECT external_id FROM records WHERE source_id = $1 AND deleted_at IS NULL) e
               FULL JOIN ${BASELINE_TABLE} b USING (external_id)
             WHERE e.external_id IS NULL OR b.source_id IS NULL) AS differ`,
    [sourceId],
  );
  const [counts] = rows;
  return Number(counts.engine) === records && Number(counts.baseline) === records && Number(counts.differ) === 0;
}

/**
 * The emulator's reset for `records` of `object`: the other objects as few as the links need (a subscription
 * needs a customer, an invoice a subscription), so seeding stays quick and the listing is all the case reads.
 */
function seedFor(object: BenchObject, records: number): Record<string, number> {
  const owners = Math.max(1, Math.ceil(records / 5));
  switch (object) {
    case 'customers':
      return { customers: records, subscriptions: 0, invoices: 0, charges: 0 };
    case 'subscriptions':
      return { customers: owners, subscriptions: records, invoices: 0, charges: 0 };
    case 'invoices':
      return { customers: owners, subscriptions: owners, invoices: records, charges: 0 };
  }
}

export async function liveSources(stack: SyncStack): Promise<number> {
  const { rows } = await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM sources WHERE deleted_at IS NULL');
  return Number(rows[0].n);
}

/** Starts each measured side with no dirty buffers left by the other. */
export async function checkpoint(stack: SyncStack): Promise<void> {
  await stack.db.query('CHECKPOINT');
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export { PAGE_SIZE };
