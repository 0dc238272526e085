import {
  ActivityCancellationType,
  CancellationScope,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { SyncWorkflowInput, SyncWorkflowResult } from '@app/temporal/contracts';
import { sourceTaskQueue } from '@app/temporal/task-queues';
import type { CloudSyncActivities, SyncPageResult } from '../cloud-sync.activities';
import type { SyncBookkeepingActivities } from '../sync-bookkeeping.activities';
import { failureMessage } from './failure-message';
import { isQueueWaitTimeout, sourceNotServed } from './queue-wait';

// Pages per workflow run before continuing as new, so a huge sync keeps a small history.
const PAGES_PER_RUN = 500;
// A page not picked up for this long makes the run check whether any worker serves the source.
const QUEUE_WAIT_MS = 5 * 60_000;

// Database bookkeeping runs on the workflow's own (shared) queue: it must work even for a paused source.
const book = proxyActivities<SyncBookkeepingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/**
 * Engine v1, kept unchanged for runs started before engine v2 (syncSourceObject) until none remains.
 * Full refresh of one (source, object): page by page on the source's own activity queue, each page
 * committed with its cursor, then rows not seen are marked deleted. Payloads are ids and counts only.
 */
export async function syncCloudApp(input: SyncWorkflowInput): Promise<SyncWorkflowResult> {
  const info = workflowInfo();
  // Not cancellable: a cancel arriving while the run row is being written must still find that row
  // (the cancellation then surfaces at the first page and marks the run CANCELLED).
  const syncRunId =
    input.syncRunId ??
    (await CancellationScope.nonCancellable(() =>
      book.startSyncRun({ ...input, workflowId: info.workflowId, temporalRunId: info.runId }),
    ));
  if (input.syncRunId && patched('sync-current-run-id')) {
    // The API shows (and cancelSourceSync names) the Temporal run executing the sync now.
    await CancellationScope.nonCancellable(() => book.continueSyncRun({ syncRunId, temporalRunId: info.runId }));
  }
  let outcome: { pages: number; finished: boolean };
  try {
    outcome = await syncPages(input, syncRunId);
    if (outcome.finished) {
      await book.finishSyncRun({ syncRunId });
    }
  } catch (error) {
    await recordFailure(syncRunId, error);
    throw error;
  }
  if (!outcome.finished) {
    await continueAsNew<typeof syncCloudApp>({ ...input, syncRunId });
  }
  return { syncRunId, pages: outcome.pages };
}

async function syncPages(input: SyncWorkflowInput, syncRunId: string): Promise<{ pages: number; finished: boolean }> {
  const { syncPage } = proxyActivities<CloudSyncActivities>({
    taskQueue: sourceTaskQueue(input.sourceId),
    // Bounds the wait for a worker of this source; then sourceServed() decides (see nextPage).
    scheduleToStartTimeout: input.queueWaitMs ?? QUEUE_WAIT_MS,
    startToCloseTimeout: '5 minutes',
    // A killed worker's page is retried after this long without a heartbeat (pages heartbeat all along).
    heartbeatTimeout: input.heartbeatTimeoutMs ?? '30 seconds',
    // On cancel, wait for the page in flight to commit or abort, so the run's counts match the rows.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // Provider throttling sets its own delay (nextRetryDelay); auth failures are non-retryable.
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 12 },
  });
  const budget = input.pagesPerRun ?? PAGES_PER_RUN;
  for (let pages = 1; ; pages++) {
    const page = await nextPage(() => syncPage({ sourceId: input.sourceId, object: input.object, syncRunId }), input);
    if (page.done) {
      return { pages, finished: true };
    }
    if (pages >= budget || workflowInfo().continueAsNewSuggested) {
      if (CancellationScope.current().consideredCancelled && patched('sync-cancel-before-continue')) {
        // A cancel that came while the last page committed would be lost in the next run: honour it here.
        await CancellationScope.current().cancelRequested;
      }
      return { pages, finished: false };
    }
  }
}

/**
 * One page. A page nobody picked up in time is asked again while a worker records serving the source
 * (it was busy), and fails the run when none does, instead of waiting forever.
 */
async function nextPage(read: () => Promise<SyncPageResult>, input: SyncWorkflowInput): Promise<SyncPageResult> {
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (!isQueueWaitTimeout(error) || !patched('sync-unserved-queue')) {
        throw error;
      }
      if (!(await book.sourceServed({ sourceId: input.sourceId }))) {
        throw sourceNotServed(input.sourceId);
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
