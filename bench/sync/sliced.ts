// Issue 9 point 9: a first sync of N customers with L ms of emulated latency per request, read as one
// listing (slices: 1) and in 4 `created` windows at once (slices: 4), by the same engine, in one run.
import { SYNC_WORKFLOW, type SyncWorkflowInput, WORKFLOW_TASK_QUEUE, makeSyncWorkflowId } from '@app/temporal';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BenchContext, RatioCase } from '../lib/harness';
import { round2 } from '../lib/harness';
import { createStripeSource, servedUpTo, type SyncStack } from './stack';

interface SideResult {
  slices: number;
  seconds: number;
  status: string;
  recordsRead: number;
  recordsInserted: number;
  pages: number;
  retries: number;
  /** Successful `GET /v1/customers` the emulator served (the windows' range probes included). */
  listRequests: number;
  /** Per window: its pages and records (none for one listing). */
  windows: { pages: number; recordsRead: number }[];
  /** Distinct live customers stored for the side's source (before the next side empties the table). */
  distinctRows: number;
  loadAverage1m: number;
}

export interface SlicedCase extends RatioCase {
  higherIsBetter: true;
  records: number;
  latencyMsPerRequest: number;
  sequential: SideResult;
  sliced: SideResult;
  /** Each side stored N distinct live customers, checked right after it ran. */
  exact: boolean;
  /** When the case ran (it may run alone: BENCH_SYNC_CASES=sliced). */
  date: string;
}

export async function runSlicedCase(
  ctx: BenchContext,
  stack: SyncStack,
  options: { records: number; latencyMs: number; slices: number; target: number },
): Promise<SlicedCase> {
  const { records, latencyMs, slices } = options;
  const name = `Sliced vs sequential first sync of ${records} customers, ${latencyMs} ms latency per request, ${slices} slices`;
  ctx.step(`${name}: seeding`);
  const date = new Date().toISOString();
  await stack.emulator('/reset', { customers: records, subscriptions: 0, invoices: 0, charges: 0 });
  await stack.emulator('/latency', { ms: 0 });
  const sequentialSource = await createStripeSource(stack, 'bench sliced: one listing');
  const slicedSource = await createStripeSource(stack, 'bench sliced: windows');
  await servedUpTo(stack, await liveSources(stack));
  await stack.emulator('/latency', { ms: latencyMs });
  try {
    ctx.step(`${name}: one listing`);
    const sequential = await side(stack, sequentialSource, 1);
    ctx.log(`one listing ${sequential.seconds} s, ${sequential.pages} pages`);
    ctx.step(`${name}: ${slices} windows`);
    const sliced = await side(stack, slicedSource, slices);
    ctx.log(`${slices} windows ${sliced.seconds} s, ${sliced.pages} pages`);
    const exact = sequential.distinctRows === records && sliced.distinctRows === records;
    for (const result of [sequential, sliced]) {
      if (
        result.status !== 'SUCCEEDED' ||
        result.recordsRead !== records ||
        result.recordsInserted !== records ||
        !exact
      ) {
        throw new Error(`${name}: results differ: ${JSON.stringify({ sequential, sliced, exact })}`);
      }
    }
    const ratio = sequential.seconds / sliced.seconds;
    return {
      name,
      higherIsBetter: true,
      ratioDefinition: 'one-listing seconds / sliced seconds (same engine, same emulator, one run)',
      ratio: Math.round(ratio * 1000) / 1000,
      target: options.target,
      meets: ratio >= options.target,
      records,
      latencyMsPerRequest: latencyMs,
      sequential,
      sliced,
      exact,
      date,
    };
  } finally {
    await stack.emulator('/latency', { ms: 0 });
  }
}

/**
 * One first sync, started as the api starts it but with `slices` set, from just before the start to the
 * end of the workflow (following continue-as-new). Each side syncs its own source into an emptied table.
 */
async function side(stack: SyncStack, sourceId: string, slices: number): Promise<SideResult> {
  await stack.db.query('TRUNCATE records');
  await stack.db.query('CHECKPOINT');
  const loadAverage1m = round2(loadavg()[0]);
  const requestsBefore = await listRequests(stack);
  const input: SyncWorkflowInput = { sourceId, object: 'customers', mode: 'FULL_REFRESH', slices };
  const started = performance.now();
  const handle = await stack.temporal.workflow.start(SYNC_WORKFLOW, {
    taskQueue: WORKFLOW_TASK_QUEUE,
    workflowId: makeSyncWorkflowId(sourceId, 'customers'),
    args: [input],
  });
  await handle.result();
  const seconds = round2((performance.now() - started) / 1000);
  const { rows } = await stack.db.query<{
    id: string;
    status: string;
    records_read: number;
    records_inserted: number;
    pages: number;
    retries: number;
  }>(
    `SELECT id, status, records_read, records_inserted, pages, retries FROM sync_runs
      WHERE source_id = $1 ORDER BY started_at DESC LIMIT 1`,
    [sourceId],
  );
  const run = rows[0];
  const windows = await stack.db.query<{ pages: number; records_read: number }>(
    'SELECT pages, records_read FROM sync_slices WHERE sync_run_id = $1 ORDER BY index',
    [run.id],
  );
  return {
    slices,
    seconds,
    status: run.status,
    recordsRead: run.records_read,
    recordsInserted: run.records_inserted,
    pages: run.pages,
    retries: run.retries,
    listRequests: (await listRequests(stack)) - requestsBefore,
    windows: windows.rows.map((w) => ({ pages: w.pages, recordsRead: w.records_read })),
    distinctRows: await distinctRows(stack, sourceId),
    loadAverage1m,
  };
}

async function listRequests(stack: SyncStack): Promise<number> {
  const response = await fetch(`${stack.emulatorUrl}/_emulator/stats`);
  const stats = (await response.json()) as { byRoute: Record<string, Record<string, number>> };
  return stats.byRoute['GET /v1/customers']?.['200'] ?? 0;
}

async function distinctRows(stack: SyncStack, sourceId: string): Promise<number> {
  const { rows } = await stack.db.query<{ n: string }>(
    `SELECT count(DISTINCT external_id) AS n FROM records
      WHERE source_id = $1 AND object = 'customers' AND deleted_at IS NULL`,
    [sourceId],
  );
  return Number(rows[0].n);
}

async function liveSources(stack: SyncStack): Promise<number> {
  const { rows } = await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM sources WHERE deleted_at IS NULL');
  return Number(rows[0].n);
}
