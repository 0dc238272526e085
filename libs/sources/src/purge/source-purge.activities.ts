import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { PurgeStart, SourcePurgeStore } from './source-purge.store';

// One activity call deletes batches for about this long, heartbeating after each, then reports back.
const CALL_BUDGET_MS = 20_000;

export interface PurgeRowsResult {
  rowsDeleted: number;
  /** True when no registered table holds a row of the source any more. */
  done: boolean;
}

/** Database-only activities of the purge; they run on the shared workflow queue (the source's is gone). */
export function createSourcePurgeActivities(store: SourcePurgeStore) {
  return {
    beginSourcePurge: ({ sourceId }: { sourceId: string }): Promise<PurgeStart> => store.begin(sourceId),

    async purgeSourceRows({ sourceId, batchSize }: { sourceId: string; batchSize: number }): Promise<PurgeRowsResult> {
      const until = Date.now() + CALL_BUDGET_MS;
      let rowsDeleted = 0;
      do {
        const batch = await store.deleteBatch(sourceId, batchSize);
        if (batch.kind === 'refused') {
          throw ApplicationFailure.create({ type: 'PurgeRefused', message: batch.reason, nonRetryable: true });
        }
        if (batch.kind === 'empty') {
          return { rowsDeleted, done: true };
        }
        rowsDeleted += batch.rows;
        Context.current().heartbeat({ table: batch.table, rowsDeleted });
      } while (Date.now() < until);
      return { rowsDeleted, done: false };
    },
  };
}

export type SourcePurgeActivities = ReturnType<typeof createSourcePurgeActivities>;
