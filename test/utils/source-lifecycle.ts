import { perSourceTables } from '@app/database';
import { TemporalClientService } from '@app/temporal';
import type { Client } from '@temporalio/client';
import { queryTestDb } from './database';
import type { SyncStack } from './sync-stack';

export const RESTORE_SOURCE = `mutation($id: ID!) {
  restoreSource(id: $id) { id status deletedAt writeKeys { status } credentials { isSet } }
}`;
export const DELETED_SOURCES = `query($first: Int) {
  deletedSources(first: $first) { totalCount edges { node { id name kind deletedAt credentials { isSet } } } }
}`;

/** Rows of the source in every table registered with the purge, by table name. */
export async function perSourceCounts(sourceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table, sourceIdColumn } of perSourceTables()) {
    const [row] = await queryTestDb<{ n: string }>(
      `SELECT count(*) AS n FROM "${table}" WHERE "${sourceIdColumn}" = $1`,
      [sourceId],
    );
    counts[table] = Number(row.n);
  }
  return counts;
}

export async function sourceRow(sourceId: string): Promise<{ deleted_at: Date | null; purged_at: Date | null }> {
  const [row] = await queryTestDb<{ deleted_at: Date | null; purged_at: Date | null }>(
    'SELECT deleted_at, purged_at FROM sources WHERE id = $1',
    [sourceId],
  );
  return row;
}

export function temporalClient(stack: SyncStack): Client {
  return stack.api.app.get(TemporalClientService).client;
}
