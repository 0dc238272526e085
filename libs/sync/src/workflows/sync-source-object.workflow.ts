import {
  type ActivityOptions,
  ActivityCancellationType,
  CancellationScope,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { SyncWorkflowInput, SyncWorkflowResult } from '@app/temporal/contracts';
import { sourceTaskQueue } from '@app/temporal/task-queues';
import type { CloudSyncActivities } from '../cloud-sync.activities';
import type { SyncBookkeepingActivities } from '../sync-bookkeeping.activities';
import { failureMessage } from './failure-message';
import { isQueueWaitTimeout, sourceNotServed } from './queue-wait';
import { syncSlices } from './sliced-sync';

// Each activity reads pages for this long at most (or PAGES_PER_BATCH), then reports; the cursor is
// committed all along, so a batch's length bounds only how much a lost worker's retry re-reads.
const BATCH_MS = 30_000;
const PAGES_PER_BATCH = 200;
// Batches per workflow run before continuing as new, so a huge sync keeps a small history.
const BATCHES_PER_RUN = 200;
// A batch not picked up for this long makes the run check whether any worker serves the source.
const QUEUE_WAIT_MS = 5 * 60_000;
// Runs started before sliced first syncs never planned slices: their histories replay without it.
const SLICED_FIRST_SYNC = 'sliced-first-sync';
// Runs started before drift was measured finish without asking for it: their histories replay without it.
const DRIFT_MEASURE = 'drift-measure';
// Runs that cannot measure drift (first syncs, incremental runs) skip the source-queue activity after a
// database check on the workflow worker: a queue round trip per run counted in B4's fan-out latency.
const DRIFT_WHEN_MEASURABLE = 'drift-when-measurable';

// Database bookkeeping as local activities of the workflow worker: no task-queue round trip, and it
// works for a paused source, whose own queue is no longer served.
const book = proxyLocalActivities<SyncBookkeepingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/**
 * Engine v2 full refresh of one (source, object): batches of pages on the source's own activity queue,
 * each set of pages committed with its cursor, then rows not seen are marked deleted. Payloads are ids
 * and counts only.
 */
export async function syncSourceObject(input: SyncWorkflowInput): Promise<SyncWorkflowResult> {
  const info = workflowInfo();
  // Not cancellable: a cancel arriving while the run row is being written must still find that row.
  const syncRunId = await CancellationScope.nonCancellable(() =>
    input.syncRunId
      ? book.continueSyncRun({ syncRunId: input.syncRunId, temporalRunId: info.runId }).then(() => input.syncRunId!)
      : book.startSyncRun({ ...input, workflowId: info.workflowId, temporalRunId: info.runId }),
  );
  let outcome: { pages: number; finished: boolean; sliced: boolean };
  try {
    outcome = await readListing(input, syncRunId);
    if (outcome.finished) {
      await measureDrift(input, syncRunId);
      await book.finishSyncRun({ syncRunId });
    }
  } catch (error) {
    await recordFailure(syncRunId, error);
    throw error;
  }
  if (!outcome.finished) {
    // A run that was not sliced stays one listing (its cursor is in sync_state).
    await continueAsNew<typeof syncSourceObject>({
      ...input,
      syncRunId,
      ...(outcome.sliced ? {} : { slices: undefined }),
    });
  }
  return { syncRunId, pages: outcome.pages };
}

/** The listing, in `created` windows read at once (a first sync, see planRun) or as one. */
async function readListing(
  input: SyncWorkflowInput,
  syncRunId: string,
): Promise<{ pages: number; finished: boolean; sliced: boolean }> {
  const plan = await planRun(input, syncRunId);
  const outcome = plan.sliced
    ? await syncSlices(plan.pending, sliceChains(input, syncRunId))
    : await syncBatches(input, syncRunId);
  return { ...outcome, sliced: plan.sliced };
}

async function syncBatches(input: SyncWorkflowInput, syncRunId: string): Promise<{ pages: number; finished: boolean }> {
  const { syncBatch } = proxyActivities<CloudSyncActivities>(sourceActivityOptions(input));
  const batchInput = {
    sourceId: input.sourceId,
    object: input.object,
    syncRunId,
    maxPages: input.pagesPerBatch ?? PAGES_PER_BATCH,
    maxMs: BATCH_MS,
  };
  let pages = 0;
  for (let batches = 1; ; batches++) {
    const batch = await nextBatch(() => syncBatch(batchInput), input.sourceId);
    pages += batch.pages;
    if (CancellationScope.current().consideredCancelled) {
      // A cancel that came while the batch committed would be lost by finishing or continuing as new.
      await CancellationScope.current().cancelRequested;
    }
    if (batch.done) {
      return { pages, finished: true };
    }
    if (batches >= (input.batchesPerRun ?? BATCHES_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      return { pages, finished: false };
    }
  }
}

/**
 * A first sync asked to be sliced (input.slices, SYNC_FIRST_SYNC_SLICES) plans its `created` windows on
 * the source's queue (it asks the provider for the listing's range); the activity decides, and a run that
 * continued as new gets its pending slices back from sync_slices.
 */
async function planRun(input: SyncWorkflowInput, syncRunId: string): Promise<{ sliced: boolean; pending: string[] }> {
  if ((input.slices ?? 1) <= 1 || !patched(SLICED_FIRST_SYNC)) {
    return { sliced: false, pending: [] };
  }
  const { planSlices } = proxyActivities<CloudSyncActivities>(sourceActivityOptions(input));
  const plan = { sourceId: input.sourceId, object: input.object, syncRunId, slices: input.slices! };
  return nextBatch(() => planSlices(plan), input.sourceId);
}

/**
 * A full refresh counts the rows the change log did not explain before it marks unseen rows deleted. A
 * measure that fails leaves drift null, saying why in the run's reason.
 */
async function measureDrift(input: SyncWorkflowInput, syncRunId: string): Promise<void> {
  if (!patched(DRIFT_MEASURE)) {
    return;
  }
  if (patched(DRIFT_WHEN_MEASURABLE) && !(await book.driftMeasurable({ syncRunId }))) {
    return;
  }
  const { measureDrift: measure } = proxyActivities<CloudSyncActivities>(sourceActivityOptions(input));
  try {
    await nextBatch(() => measure({ sourceId: input.sourceId, syncRunId }), input.sourceId);
  } catch (error) {
    if (isCancellation(error)) {
      throw error;
    }
    // Drift is a measure of the run, not part of its data: a listing that completed still finishes.
    await book.driftNotMeasured({ syncRunId, message: failureMessage(error) });
  }
}

function sliceChains(input: SyncWorkflowInput, syncRunId: string) {
  const { syncSliceBatch } = proxyActivities<CloudSyncActivities>(sourceActivityOptions(input));
  const batchInput = {
    sourceId: input.sourceId,
    object: input.object,
    syncRunId,
    maxPages: input.pagesPerBatch ?? PAGES_PER_BATCH,
    maxMs: BATCH_MS,
  };
  return {
    batchesPerRun: input.batchesPerRun ?? BATCHES_PER_RUN,
    readSlice: (sliceId: string) => nextBatch(() => syncSliceBatch({ ...batchInput, sliceId }), input.sourceId),
  };
}

function sourceActivityOptions(input: SyncWorkflowInput): ActivityOptions {
  return {
    taskQueue: sourceTaskQueue(input.sourceId),
    // Bounds the wait for a worker of this source; then sourceServed() decides (see nextBatch).
    scheduleToStartTimeout: input.queueWaitMs ?? QUEUE_WAIT_MS,
    // Reading is bounded by BATCH_MS once the process slot is held; waiting for the slot heartbeats.
    startToCloseTimeout: '15 minutes',
    // A killed worker's batch is retried after this long without a heartbeat (batches heartbeat all along).
    heartbeatTimeout: input.heartbeatTimeoutMs ?? '30 seconds',
    // On cancel, wait for the pages in flight to commit or abort, so the run's counts match the rows.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // Provider throttling sets its own delay (nextRetryDelay); auth failures are non-retryable.
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 12 },
  };
}

/**
 * One batch. A batch nobody picked up in time is asked again while a worker records serving the source
 * (it was busy), and fails the run when none does, instead of waiting forever.
 */
async function nextBatch<T>(read: () => Promise<T>, sourceId: string): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (!isQueueWaitTimeout(error)) {
        throw error;
      }
      if (!(await book.sourceServed({ sourceId }))) {
        throw sourceNotServed(sourceId);
      }
    }
  }
}

async function recordFailure(syncRunId: string, error: unknown): Promise<void> {
  if (isCancellation(error)) {
    // The workflow is being cancelled: this last write must not be cancelled with it.
    await CancellationScope.nonCancellable(() => book.cancelSyncRun({ syncRunId }));
  } else {
    await book.failSyncRun({ syncRunId, message: failureMessage(error) });
  }
}
