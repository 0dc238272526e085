// Reaching into a running sync from a test: its run as GraphQL shows it, and a hold on its next commit so the test
// interferes (kill, cancel) while a page is surely read and not yet applied.
import { Client } from 'pg';
import { queryTestDb, requiredEnv } from './database';
import * as op from './operations';
import type { RunNode } from './stripe-sync';
import { eventually, type SyncStack } from './sync-stack';

export async function runNode(stack: SyncStack, sourceId: string, runId: string): Promise<RunNode | undefined> {
  const { syncRuns } = await stack.call(op.SYNC_RUNS, { sourceId, first: 50 });
  return (syncRuns.edges as { node: RunNode }[]).map((e) => e.node).find((r) => r.runId === runId);
}

/**
 * Holds the run's next commit: a transaction of ours locks the source's sync_state rows, so the worker reads the
 * next page and then waits to apply it. Resolves once it waits; `release` ends our transaction.
 */
export async function holdNextCommit(sourceId: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: requiredEnv('TEST_DATABASE_URL') });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM sync_state WHERE source_id = $1 FOR UPDATE', [sourceId]);
  const { pid } = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0];
  const release = async (): Promise<void> => {
    await client.query('ROLLBACK');
    await client.end();
  };
  await eventually(
    async () => {
      const rows = await queryTestDb<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND query LIKE '%FROM sync_state%FOR UPDATE%' AND pid <> $1`,
        [pid],
      );
      return Number(rows[0].n) > 0 || undefined;
    },
    'the worker waiting to commit a page it read',
    30_000,
    50,
  ).catch(async (error: unknown) => {
    await release(); // a connection left open would outlive the test's database
    throw error;
  });
  return { release };
}
