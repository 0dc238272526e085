/** Workflow type of `replay:<sourceId>:<requestId>` (libs/ingestion's replayQuarantine). */
export const REPLAY_QUARANTINE_WORKFLOW = 'replayQuarantine';

/** Ids only: the filter, cursor and counts live in the quarantine_replays row. */
export interface ReplayQuarantineInput {
  replayId: string;
  /** Quarantined events per activity call (default 200). */
  pageSize?: number;
}

export interface ReplayPageResult {
  done: boolean;
  scanned: number;
  replayed: number;
  stillQuarantined: number;
}

/** `replay:<sourceId>:<requestId>`: one workflow per replayQuarantine request. */
export function makeReplayWorkflowId(sourceId: string, requestId: string): string {
  return `replay:${sourceId}:${requestId}`;
}
