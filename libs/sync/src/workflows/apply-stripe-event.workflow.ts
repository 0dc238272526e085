import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { StripeEventInput } from '@app/temporal/contracts';
import { sourceTaskQueue } from '@app/temporal/task-queues';
import type { ApplyChangeResult } from '../apply-change';
import type { CloudSyncActivities } from '../cloud-sync.activities';

/**
 * One verified, deduplicated Stripe webhook delivery: the activity on the source's queue reads the event
 * by id from Stripe (its body, customer data, never enters this history) and applies it newest-wins,
 * recording a WEBHOOK run per object it touches. Should this fail for good, the next incremental run
 * reads the same event from /v1/events: a webhook only brings a change in sooner.
 */
export async function applyStripeEvent(input: StripeEventInput): Promise<ApplyChangeResult> {
  const { applyChange } = proxyActivities<CloudSyncActivities>({
    taskQueue: sourceTaskQueue(input.sourceId),
    // A paused source's queue is not served: give up rather than wait (the events path catches up).
    scheduleToStartTimeout: '10 minutes',
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });
  const info = workflowInfo();
  return applyChange({
    sourceId: input.sourceId,
    changeId: input.eventId,
    workflowId: info.workflowId,
    temporalRunId: info.runId,
  });
}
