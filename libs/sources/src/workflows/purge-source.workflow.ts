import { CancellationScope, continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { PurgeSourceInput, PurgeSourceResult } from '@app/temporal/contracts';
import type { SourcePurgeActivities } from '../purge/source-purge.activities';

const DEFAULT_BATCH_SIZE = 5000;
// Activity calls per workflow run before continuing as new, so purging millions of rows keeps a small history.
const CALLS_PER_RUN = 200;

// Unlimited attempts: customer data of a deleted source must go; each batch is idempotent.
const purge = proxyActivities<SourcePurgeActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * `purge:<sourceId>`: waits the grace period (restoreSource cancels it meanwhile), then, if the source is
 * still deleted, deletes its rows from every registered per-source table. The sources row stays as a
 * tombstone with purged_at.
 */
export async function purgeSource(input: PurgeSourceInput): Promise<PurgeSourceResult> {
  if (input.graceSeconds > 0) {
    await sleep(input.graceSeconds * 1000);
  }
  // Past the grace period a cancel no longer stops it: it either finds the source restored or finishes.
  return CancellationScope.nonCancellable(() => purgeRows(input));
}

async function purgeRows(input: PurgeSourceInput): Promise<PurgeSourceResult> {
  let rowsDeleted = input.rowsDeleted ?? 0;
  const start = await purge.beginSourcePurge({ sourceId: input.sourceId });
  if (!start.purging) {
    return { purged: false, reason: start.reason, rowsDeleted };
  }
  for (let calls = 1; ; calls++) {
    const step = await purge.purgeSourceRows({
      sourceId: input.sourceId,
      batchSize: input.batchSize ?? DEFAULT_BATCH_SIZE,
    });
    rowsDeleted += step.rowsDeleted;
    if (step.done) {
      return { purged: true, rowsDeleted };
    }
    if (calls >= CALLS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof purgeSource>({ ...input, graceSeconds: 0, rowsDeleted });
    }
  }
}
