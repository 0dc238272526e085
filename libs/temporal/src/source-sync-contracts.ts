// The source-level sync (issue 9 point 4): the action of the source's schedule `schedule:<sourceId>`,
// which runs every object of the source as a child `sync:<sourceId>:<object>`.
import type { SyncWorkflowInput } from './contracts';

export const SOURCE_SYNC_WORKFLOW = 'syncSource';

export interface SourceSyncInput {
  sourceId: string;
  /** Passed on to each object's sync (see SyncWorkflowInput). */
  queueWaitMs?: number;
  /** Passed on to each object's sync (see SyncWorkflowInput). */
  slices?: number;
}

export type ObjectSyncOutcome = 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface ObjectSyncResult {
  object: string;
  workflowId: string;
  /** The first run of the object's sync, as SyncRun.runId. */
  runId: string;
  outcome: ObjectSyncOutcome;
  /** True when the object's sync was already running (a manual trigger) and this run waited for it. */
  joined: boolean;
}

export interface SourceSyncResult {
  /** Why nothing ran (e.g. the source has no credentials), when nothing did. */
  skipped?: string;
  objects: ObjectSyncResult[];
}

/** The input of one object's sync: the same whether triggerSourceSync or the source-level sync starts it. */
export function objectSyncInput(
  sourceId: string,
  object: string,
  options: Pick<SyncWorkflowInput, 'queueWaitMs' | 'slices'> = {},
): SyncWorkflowInput {
  const { queueWaitMs, slices } = options;
  return {
    sourceId,
    object,
    mode: 'FULL_REFRESH',
    ...(queueWaitMs === undefined ? {} : { queueWaitMs }),
    ...(slices === undefined ? {} : { slices }),
  };
}
