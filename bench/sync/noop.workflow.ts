// B4's baseline workflow: one no-op activity on the given (per-source style) task queue, nothing else.
import { proxyActivities } from '@temporalio/workflow';

export interface NoopActivities {
  benchNoop(): Promise<void>;
}

export async function benchNoopWorkflow(taskQueue: string): Promise<void> {
  const { benchNoop } = proxyActivities<NoopActivities>({ taskQueue, startToCloseTimeout: '5 minutes' });
  await benchNoop();
}
