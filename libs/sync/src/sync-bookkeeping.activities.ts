import { SyncRunStatus } from '@app/database';
import type { SyncStore } from './sync-store.service';

export interface StartSyncRunInput {
  sourceId: string;
  object: string;
  /** Ignored (histories and callers still pass it): the run decides its mode. */
  mode?: 'FULL_REFRESH';
  workflowId: string;
  temporalRunId: string;
}

/**
 * Database-only activities of a sync. They run on the shared workflow queue, so a paused source (whose
 * own queue is no longer served) can still have its run recorded as cancelled.
 */
export function createSyncBookkeepingActivities(store: SyncStore) {
  return {
    startSyncRun: ({ mode: _ignored, ...input }: StartSyncRunInput): Promise<string> => store.startRun(input),
    finishSyncRun: ({ syncRunId }: { syncRunId: string }): Promise<void> => store.finishRun(syncRunId),
    failSyncRun: ({ syncRunId, message }: { syncRunId: string; message: string }): Promise<void> =>
      store.endRun(syncRunId, SyncRunStatus.FAILED, message),
    cancelSyncRun: ({ syncRunId }: { syncRunId: string }): Promise<void> =>
      store.endRun(syncRunId, SyncRunStatus.CANCELLED, 'Cancelled before completion; rows written so far are kept'),
    continueSyncRun: ({ syncRunId, temporalRunId }: { syncRunId: string; temporalRunId: string }): Promise<void> =>
      store.continueRun(syncRunId, temporalRunId),
    sourceServed: ({ sourceId }: { sourceId: string }): Promise<boolean> => store.isServed(sourceId),
    /** Whether the run can measure drift (a full refresh taking over from a saved change position). */
    driftMeasurable: async ({ syncRunId }: { syncRunId: string }): Promise<boolean> =>
      Boolean((await store.drift.basis(syncRunId))?.position),
    driftNotMeasured: ({ syncRunId, message }: { syncRunId: string; message: string }): Promise<void> =>
      store.drift.record(syncRunId, null, `drift not measured (${message})`),
  };
}

export type SyncBookkeepingActivities = ReturnType<typeof createSyncBookkeepingActivities>;
