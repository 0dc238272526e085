import type { ReplayPageResult } from '@app/temporal';
import type { QuarantineReplays } from './quarantine-replays';

const DEFAULT_PAGE_SIZE = 200;

/** Database-only activities of the quarantine replay (shared workflow queue: event sources have no own queue). */
export function createQuarantineReplayActivities(replays: QuarantineReplays) {
  return {
    replayQuarantinePage: ({
      replayId,
      pageSize,
    }: {
      replayId: string;
      pageSize?: number;
    }): Promise<ReplayPageResult> => replays.replayPage(replayId, pageSize ?? DEFAULT_PAGE_SIZE),
  };
}

export type QuarantineReplayActivities = ReturnType<typeof createQuarantineReplayActivities>;
