import type { StripeEmulator } from '../../emulators/stripe/src';
import { queryTestDb } from './database';
import * as op from './operations';
import { eventually, type SyncStack } from './sync-stack';

export interface RunNode {
  id: string;
  object: string;
  mode: string;
  /** Why the run chose its mode (null for a plain incremental run). */
  reason: string | null;
  status: string;
  runId: string;
  workflowId: string;
  recordsRead: number;
  recordsInserted: number;
  recordsUpdated: number;
  recordsUnchanged: number;
  recordsDeleted: number;
  pages: number;
  retries: number;
  /** Null while the run is RUNNING. */
  durationMs: number | null;
  error: string | null;
  temporalUrl: string;
}

/** Creates a Stripe source with credentials and waits until a worker serves its queue. */
export async function createStripeSource(
  stack: SyncStack,
  name: string,
  secretKey = 'sk_test_tributary',
): Promise<string> {
  const { createSource } = await stack.call(op.CREATE_SOURCE, {
    input: { name, kind: 'STRIPE', environment: 'PRODUCTION' },
  });
  await stack.call(op.SET_CREDENTIALS, { input: { sourceId: createSource.id, stripe: { secretKey } } });
  await servedWithin(stack, createSource.id, true, 5000);
  return createSource.id as string;
}

/** Waits until the source's queue is (or is no longer) served by a worker, as GraphQL shows it. */
export async function servedWithin(
  stack: SyncStack,
  sourceId: string,
  served: boolean,
  timeoutMs: number,
): Promise<number> {
  const start = Date.now();
  await eventually(
    async () => {
      const { source } = await stack.call(op.SOURCE_QUEUES, { id: sourceId });
      return source.taskQueues.length > 0 === served ? true : undefined;
    },
    `source ${sourceId} ${served ? 'served' : 'unserved'}`,
    timeoutMs,
    100,
  );
  return Date.now() - start;
}

/** What one full sync of `records` new records must count: each read once, each inserted once. */
export function exactFirstSync(records: number): Partial<RunNode> {
  return {
    status: 'SUCCEEDED',
    recordsRead: records,
    recordsInserted: records,
    recordsUpdated: 0,
    recordsUnchanged: 0,
    recordsDeleted: 0,
  };
}

/** Triggers a sync of `object` (customers by default) and waits for the run to leave RUNNING. */
export async function syncAndWait(
  stack: SyncStack,
  sourceId: string,
  timeoutMs = 120_000,
  object = 'customers',
): Promise<RunNode> {
  const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object });
  return waitForRun(stack, sourceId, triggerSourceSync.runId as string, timeoutMs);
}

export async function waitForRun(
  stack: SyncStack,
  sourceId: string,
  runId: string,
  timeoutMs = 120_000,
): Promise<RunNode> {
  return eventually(
    async () => {
      const { syncRuns } = await stack.call(op.SYNC_RUNS, { sourceId, first: 50 });
      const run = (syncRuns.edges as { node: RunNode }[]).map((e) => e.node).find((r) => r.runId === runId);
      return run && run.status !== 'RUNNING' ? run : undefined;
    },
    `run ${runId} to finish`,
    timeoutMs,
  );
}

/** Live (undeleted) records of a source's `object` (customers by default), keyed by external id. */
export async function liveRecords(
  sourceId: string,
  object = 'customers',
): Promise<Map<string, Record<string, unknown>>> {
  const rows = await queryTestDb<{ external_id: string; payload: Record<string, unknown> }>(
    'SELECT external_id, payload FROM records WHERE source_id = $1 AND object = $2 AND deleted_at IS NULL',
    [sourceId, object],
  );
  return new Map(rows.map((r) => [r.external_id, r.payload]));
}

/** How many worker processes record serving the source's queue. */
export async function servedQueueRows(sourceId: string): Promise<number> {
  const rows = await queryTestDb<{ n: string }>('SELECT count(*) AS n FROM source_task_queues WHERE source_id = $1', [
    sourceId,
  ]);
  return Number(rows[0].n);
}

/** The emulator's current customers, through its control API (as a black box). */
export async function emulatorCustomers(stripe: StripeEmulator): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${stripe.url}/_emulator/customers`);
  return ((await res.json()) as { data: Record<string, unknown>[] }).data;
}

export async function control(stripe: StripeEmulator, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${stripe.url}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(`emulator ${path} answered ${res.status}: ${await res.text()}`);
  }
  return res.json();
}
