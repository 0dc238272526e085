import { ActivityFailure, ApplicationFailure, TimeoutFailure, log, uuid4 } from '@temporalio/workflow';

/**
 * The message a run records: the activity's own (the activity interceptor already replaced raw text by
 * our words and an error id), or what timed out. Anything else is logged under a fresh error id, so its
 * text reaches the worker log but never the run row or the workflow history.
 */
export function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    return cause.message;
  }
  if (cause instanceof TimeoutFailure) {
    return `An activity timed out (${cause.timeoutType}); is the worker serving this source running?`;
  }
  // uuid4() is deterministic in a workflow; log is silent on replay, so each id is logged once.
  const errorId = uuid4();
  const detail =
    cause instanceof Error
      ? { type: cause.name, message: cause.message, stack: cause.stack }
      : { message: String(cause) };
  log.error(`unexpected workflow failure (error id ${errorId})`, { errorId, error: detail });
  return `Unexpected failure (error id ${errorId}): the worker log has the details`;
}
