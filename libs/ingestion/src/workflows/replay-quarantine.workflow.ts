import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReplayPageResult, ReplayQuarantineInput } from '@app/temporal/quarantine-contracts';
import type { QuarantineReplayActivities } from '../quarantine/replay.activities';

// Activity calls per run before continuing as new: a quarantine of millions keeps a small history.
const CALLS_PER_RUN = 200;

// Unlimited attempts: each page is idempotent (the cursor and counts move in the page's own transaction).
// A page takes well under a second; a short timeout lets a page lost with its worker be retried soon.
const replay = proxyActivities<QuarantineReplayActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * `replay:<sourceId>:<requestId>`: replays the quarantine_replays row's filtered quarantine, page after
 * page, until a page finds nothing left. Only the replay's id is in history; its progress is in the row.
 */
export async function replayQuarantine(input: ReplayQuarantineInput): Promise<ReplayPageResult> {
  for (let calls = 1; ; calls++) {
    const step = await replay.replayQuarantinePage({ replayId: input.replayId, pageSize: input.pageSize });
    if (step.done) {
      return step;
    }
    if (calls >= CALLS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof replayQuarantine>(input);
    }
  }
}
