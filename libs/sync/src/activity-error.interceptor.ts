import type { Context } from '@temporalio/activity';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  Next,
} from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { classifyActivityError, isCancellation, toActivityFailure } from './activity-errors';

/** Where the interceptor writes the detail of an error it masked (the worker's pino logger). */
export type ActivityErrorLog = (level: 'warn' | 'error', line: Record<string, unknown>, message: string) => void;

/**
 * Classifies every error an activity throws, once, on every worker: the failure Temporal records carries
 * our message and an error id; the log line with that id carries the exception (name, message, stack).
 */
export function activityErrorInterceptors(log: ActivityErrorLog): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new ActivityErrorInterceptor(ctx, log) });
}

class ActivityErrorInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly log: ActivityErrorLog,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (error) {
      throw this.failureFor(error);
    }
  }

  private failureFor(error: unknown): unknown {
    if (isCancellation(error, this.ctx.cancellationSignal.aborted)) {
      return error;
    }
    const { activityType: activity, attempt, workflowExecution } = this.ctx.info;
    const errorClass = classifyActivityError(error);
    const errorId = randomUUID();
    const failure = toActivityFailure(error, errorClass, { activity, attempt, errorId });
    if (failure !== error && errorClass !== 'provider') {
      this.log(
        errorClass === 'programming' || errorClass === 'unknown' ? 'error' : 'warn',
        { errorId, errorClass, activity, attempt, workflowId: workflowExecution?.workflowId, err: error },
        `${activity} failed (${errorClass} error, attempt ${attempt}, error id ${errorId})`,
      );
    }
    return failure;
  }
}
