import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';

/** The message a run records: the activity's own (already provider-free) message, or what timed out. */
export function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    return cause.message;
  }
  if (cause instanceof TimeoutFailure) {
    return `An activity timed out (${cause.timeoutType}); is the worker serving this source running?`;
  }
  return `Sync failed: ${error instanceof Error ? error.message : String(error)}`;
}
