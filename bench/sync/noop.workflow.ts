// B4's baseline workflow: one no-op activity on the given (per-source style) task queue, nothing else. Its
// timeout is the engine's bookkeeping activities' (a lost completion costs at most that long).
import { proxyActivities } from '@temporalio/workflow';

export interface NoopActivities {
  benchNoop(): Promise<void>;
}

export async function benchNoopWorkflow(taskQueue: string): Promise<void> {
  const { benchNoop } = proxyActivities<NoopActivities>({ taskQueue, startToCloseTimeout: '1 minute' });
  await benchNoop();
}
