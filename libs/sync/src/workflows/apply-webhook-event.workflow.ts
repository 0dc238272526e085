import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { StripeEventInput, WebhookEventInput } from '@app/temporal/contracts';
import { sourceTaskQueue } from '@app/temporal/task-queues';
import type { ApplyChangeResult } from '../apply-change';
import type { CloudSyncActivities } from '../cloud-sync.activities';

/**
 * One verified, deduplicated webhook event of any cloud app: the activity on the source's queue reads the
 * change by id from the app (its content, customer data, never enters this history) and applies it
 * newest-wins, recording a WEBHOOK run per object it touches. Should this fail for good, the next incremental
 * run reads the same change from the app's change log: a webhook only brings a change in sooner.
 */
export async function applyWebhookEvent(input: WebhookEventInput): Promise<ApplyChangeResult> {
  const { applyChange } = proxyActivities<CloudSyncActivities>({
    taskQueue: sourceTaskQueue(input.sourceId),
    // A paused source's queue is not served: give up rather than wait (the change log catches up).
    scheduleToStartTimeout: '10 minutes',
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });
  const info = workflowInfo();
  return applyChange({
    sourceId: input.sourceId,
    changeId: input.changeId ?? input.eventId,
    workflowId: info.workflowId,
    temporalRunId: info.runId,
  });
}

/** The Stripe-only name of the same workflow (issue 9): runs started under it before the rename finish. */
export function applyStripeEvent(input: StripeEventInput): Promise<ApplyChangeResult> {
  return applyWebhookEvent(input);
}
