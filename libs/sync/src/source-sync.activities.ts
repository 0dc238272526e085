import type { ObjectSyncOutcome } from '@app/temporal';
import { Context } from '@temporalio/activity';
import { CancelledFailure, type Client, WorkflowFailedError } from '@temporalio/client';
import type { SourceSyncPlan, SourceSyncPlanner } from './source-sync-plan';

// Heartbeats while waiting; also how the activity learns its parent was cancelled.
const HEARTBEAT_EVERY_MS = 5_000;

export interface JoinedSync {
  runId: string;
  outcome: ObjectSyncOutcome;
}

/** Activities of the source-level sync, on the shared workflow queue (database and Temporal only). */
export function createSourceSyncActivities(planner: SourceSyncPlanner, client: Client) {
  return {
    planSourceSync: ({ sourceId }: { sourceId: string }): Promise<SourceSyncPlan> => planner.plan(sourceId),
    /**
     * Waits for a sync this run did not start (a manual trigger got there first) and says how it ended,
     * following it across continue-as-new. Cancelling this activity stops the wait, not that sync.
     */
    awaitRunningSync: ({ workflowId }: { workflowId: string }): Promise<JoinedSync> =>
      awaitRunningSync(client, workflowId),
  };
}

export type SourceSyncActivities = ReturnType<typeof createSourceSyncActivities>;

async function awaitRunningSync(client: Client, workflowId: string): Promise<JoinedSync> {
  const ctx = Context.current();
  const handle = client.workflow.getHandle(workflowId);
  const described = await handle.describe();
  const runId = described.raw.workflowExecutionInfo?.firstRunId || described.runId;
  const beat = setInterval(() => ctx.heartbeat({ workflowId, runId }), HEARTBEAT_EVERY_MS);
  try {
    await client.withAbortSignal(ctx.cancellationSignal, () => handle.result());
    return { runId, outcome: 'SUCCEEDED' };
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      return { runId, outcome: error.cause instanceof CancelledFailure ? 'CANCELLED' : 'FAILED' };
    }
    throw error;
  } finally {
    clearInterval(beat);
  }
}
