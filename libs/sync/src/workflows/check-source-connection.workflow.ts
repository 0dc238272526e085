import { ActivityFailure, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import type { CheckConnectionInput, CheckConnectionResult } from '@app/temporal/contracts';
import { sourceTaskQueue } from '@app/temporal/task-queues';
import type { CloudSyncActivities } from '../cloud-sync.activities';
import { failureMessage } from './failure-message';

/** Runs the connector's checkConnection on the source's own queue; always answers, never hangs. */
export async function checkSourceConnection(input: CheckConnectionInput): Promise<CheckConnectionResult> {
  const queue = sourceTaskQueue(input.sourceId);
  const { checkConnection } = proxyActivities<CloudSyncActivities>({
    taskQueue: queue,
    scheduleToStartTimeout: input.scheduleToStartTimeoutMs,
    startToCloseTimeout: '45 seconds',
    retry: { maximumAttempts: 2 },
  });
  try {
    return await checkConnection({ sourceId: input.sourceId });
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : undefined;
    if (cause instanceof TimeoutFailure && cause.timeoutType === 'SCHEDULE_TO_START') {
      return { ok: false, message: `No worker picked up the check on ${queue}: is the worker running?` };
    }
    return { ok: false, message: failureMessage(error) };
  }
}
