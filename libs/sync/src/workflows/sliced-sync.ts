import { CancellationScope, workflowInfo } from '@temporalio/workflow';
import type { SyncBatchResult } from '../cloud-sync.activities';

/** How a sliced run goes on: batches per workflow run before continuing as new, and one batch of a slice. */
export interface SliceChains {
  batchesPerRun: number;
  readSlice(sliceId: string): Promise<SyncBatchResult>;
}

/**
 * Reads the pending slices of a run at once, each a chain of batches (one activity at a time per slice,
 * so a slice's cursor has one writer). All chains share the run's budget of batches: once it is spent
 * (or Temporal suggests it), no chain starts another batch, those in flight finish, and the run continues
 * as new, finding the slices' cursors in sync_slices. The account's request budget and the worker's
 * activity slots bound how many requests really run at once.
 */
export async function syncSlices(
  pending: string[],
  chains: SliceChains,
): Promise<{ pages: number; finished: boolean }> {
  let pages = 0;
  let batches = 0;
  let stopping = false;
  const chain = async (sliceId: string): Promise<boolean> => {
    while (!stopping) {
      const batch = await chains.readSlice(sliceId);
      pages += batch.pages;
      if (CancellationScope.current().consideredCancelled) {
        // As in syncBatches: a cancel that came while the batch committed must not be lost.
        await CancellationScope.current().cancelRequested;
      }
      if (batch.done) {
        return true;
      }
      batches += 1;
      if (batches >= chains.batchesPerRun || workflowInfo().continueAsNewSuggested) {
        stopping = true;
      }
    }
    return false;
  };
  // A failed (or cancelled) chain stops the others after their batch in flight, and the run ends only once
  // every batch has committed or aborted: the run's last state is written after its last rows.
  const settled = await Promise.allSettled(
    pending.map((sliceId) =>
      chain(sliceId).catch((error: unknown) => {
        stopping = true;
        throw error;
      }),
    ),
  );
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
  return { pages, finished: settled.every((result) => result.status === 'fulfilled' && result.value) };
}
