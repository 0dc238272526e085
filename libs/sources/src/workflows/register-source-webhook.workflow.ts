import { ActivityFailure, ApplicationFailure, TimeoutFailure, proxyActivities } from '@temporalio/workflow';
import type { RegisterWebhookInput, RegisterWebhookResult } from '@app/temporal/webhook-contracts';
import { sourceTaskQueue } from '@app/temporal/task-queues';
import type { SourceWebhookActivities } from '../webhooks/source-webhook.activities';

/**
 * `webhook:<sourceId>`: registers the source's webhook endpoint with its app from the source's own queue
 * (the api never calls cloud apps). The activity seals the new secret; only ids come back.
 */
export async function registerSourceWebhook(input: RegisterWebhookInput): Promise<RegisterWebhookResult> {
  const queue = sourceTaskQueue(input.sourceId);
  const { registerWebhook } = proxyActivities<SourceWebhookActivities>({
    taskQueue: queue,
    scheduleToStartTimeout: input.scheduleToStartTimeoutMs,
    startToCloseTimeout: '45 seconds',
    retry: { maximumAttempts: 3 },
  });
  try {
    return await registerWebhook({ sourceId: input.sourceId, url: input.url });
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : undefined;
    if (cause instanceof TimeoutFailure && cause.timeoutType === 'SCHEDULE_TO_START') {
      return { ok: false, problem: 'unserved', message: `No worker picked up the registration on ${queue}` };
    }
    const message = cause instanceof ApplicationFailure ? cause.message : 'The registration failed: see the worker log';
    return { ok: false, problem: 'refused', message };
  }
}
