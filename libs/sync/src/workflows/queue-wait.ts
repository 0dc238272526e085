import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { sourceTaskQueue } from '@app/temporal/task-queues';

/** An activity nobody picked up from the source's queue within its schedule-to-start timeout. */
export function isQueueWaitTimeout(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof TimeoutFailure &&
    error.cause.timeoutType === 'SCHEDULE_TO_START'
  );
}

/** Ends a run whose source no worker serves, saying what to do instead of waiting forever. */
export function sourceNotServed(sourceId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `No worker serves this source (queue ${sourceTaskQueue(sourceId)}): start a Tributary worker, ` +
      'check that the source is ACTIVE and that its queue shows in Source.taskQueues, then trigger the sync again',
    'SourceNotServed',
  );
}
