import { activityErrorInterceptors } from '@app/sync';
import { Logger } from '@nestjs/common';
import type { WorkerInterceptors } from '@temporalio/worker';

const logger = new Logger('ActivityErrors');

/** Every Worker of the process classifies activity errors the same way and logs their detail here. */
export function activityInterceptors(): WorkerInterceptors {
  return {
    activity: [
      activityErrorInterceptors((level, line, message) =>
        level === 'error' ? logger.error(line, message) : logger.warn(line, message),
      ),
    ],
  };
}
