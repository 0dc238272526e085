/** The one queue every workflow task runs on (one full Worker per process serves it). */
export const WORKFLOW_TASK_QUEUE = 'tributary-workflows';

/** Each active source's own activity queue: isolates sources and carries the source's API quota. */
export function sourceTaskQueue(sourceId: string): string {
  return `source-${sourceId}`;
}
