import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  ChildWorkflowFailure,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { SYNC_WORKFLOW, type SyncWorkflowInput } from '@app/temporal/contracts';
import {
  type ObjectSyncResult,
  type SourceSyncInput,
  type SourceSyncResult,
  objectSyncInput,
} from '@app/temporal/source-sync-contracts';
import { SourceIdKey, SourceKindKey, SyncObjectKey, WorkspaceIdKey } from '@app/temporal/search-attributes';
import { WORKFLOW_TASK_QUEUE } from '@app/temporal/task-queues';
import { makeSyncWorkflowId } from '@app/temporal/workflow-ids';
import type { SourceSyncActivities } from '../source-sync.activities';

const { planSourceSync } = proxyLocalActivities<SourceSyncActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

// Waiting for a sync someone else started: as long as that sync takes, heartbeating all along.
const { awaitRunningSync } = proxyActivities<SourceSyncActivities>({
  taskQueue: WORKFLOW_TASK_QUEUE,
  startToCloseTimeout: '7 days',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One sync of every object of a source: the action of its schedule `schedule:<sourceId>` (and of
 * syncSourceNow). Each object runs as the child `sync:<sourceId>:<object>`, all at once: the source's
 * activity slots and per-account request budget already pace them, and a small object need not wait for a
 * large one. An object whose sync already runs (a manual trigger) is waited for, never started twice.
 * Cancelling this run cancels the children it started; closing it otherwise asks them to cancel too.
 */
export async function syncSource(input: SourceSyncInput): Promise<SourceSyncResult> {
  const plan = await planSourceSync({ sourceId: input.sourceId });
  if ('skip' in plan) {
    return { skipped: plan.skip, objects: [] };
  }
  const objects = await Promise.all(
    plan.objects.map((object) => syncObject(input, object, plan.kind, plan.workspaceId)),
  );
  if (CancellationScope.current().consideredCancelled) {
    // Cancelled: the children report CANCELLED; this run ends cancelled too, not failed.
    await CancellationScope.current().cancelRequested;
  }
  const failed = objects.filter((o) => o.outcome !== 'SUCCEEDED');
  if (failed.length > 0) {
    // Red in the Temporal UI, with the objects to look at; the schedule keeps running (no pause on failure).
    throw ApplicationFailure.nonRetryable(
      `Not every object synced: ${failed.map((o) => `${o.object} ${o.outcome}`).join(', ')}; see the source's syncRuns`,
      'SourceSyncIncomplete',
      { objects },
    );
  }
  return { objects };
}

async function syncObject(
  input: SourceSyncInput,
  object: string,
  kind: string,
  workspaceId: string,
): Promise<ObjectSyncResult> {
  const workflowId = makeSyncWorkflowId(input.sourceId, object);
  let child;
  try {
    child = await startChild<(i: SyncWorkflowInput) => Promise<unknown>>(SYNC_WORKFLOW, {
      workflowId,
      taskQueue: WORKFLOW_TASK_QUEUE,
      args: [objectSyncInput(input.sourceId, object, { queueWaitMs: input.queueWaitMs, slices: input.slices })],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      typedSearchAttributes: [
        { key: SourceIdKey, value: input.sourceId },
        { key: SourceKindKey, value: kind },
        { key: WorkspaceIdKey, value: workspaceId },
        { key: SyncObjectKey, value: object },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      throw error;
    }
    const joined = await awaitRunningSync({ workflowId });
    return { object, workflowId, runId: joined.runId, outcome: joined.outcome, joined: true };
  }
  const runId = child.firstExecutionRunId;
  try {
    await child.result();
    return { object, workflowId, runId, outcome: 'SUCCEEDED', joined: false };
  } catch (error) {
    if (error instanceof ChildWorkflowFailure) {
      const outcome = error.cause instanceof CancelledFailure ? 'CANCELLED' : 'FAILED';
      return { object, workflowId, runId, outcome, joined: false };
    }
    throw error;
  }
}
