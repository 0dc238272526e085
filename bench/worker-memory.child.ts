// The real worker app in a process of its own (so that its RSS is its own), driven by
// bench/worker-memory.ts and bench/sync.ts over IPC. Started as `node --expose-gc node_modules/ts-node/dist/bin.js <this file>`
// (not `-r ts-node/register`, which every workflow worker_thread would inherit).
import { APP_CONFIG, type AppConfig, loadConfigFromEnv } from '@app/config';
import { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { startWorkerApp, type WorkerApp } from '../apps/worker/src/create-worker-app';
import { activityInterceptors } from '../apps/worker/src/temporal/activity-interceptors';
import { SourceWorkerRegistry } from '../apps/worker/src/temporal/source-worker-registry.service';
import { TemporalRuntimeService } from '../apps/worker/src/temporal/temporal-runtime.service';
import type { ChildMessage } from './lib/ipc-child';

export type WorkerMemoryCommand =
  | { cmd: 'reconcile' }
  | { cmd: 'measure' }
  | { cmd: 'fullWorker'; bundlePath: string }
  | { cmd: 'noopFanOut'; bundlePath: string; workflowQueue: string; queues: string[] }
  | { cmd: 'stop' };
export type WorkerMemoryRequest = { id: number } & WorkerMemoryCommand;

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  /** OS threads of the process (Tokio, libuv, V8, workflow worker_threads). */
  threads: number;
}

export const EXTRA_FULL_WORKER_QUEUE = 'bench-extra-full-worker';
const SETTLE_MS = 1_500;
const SAMPLES = 3;

const sleep = (ms: number): Promise<void> => new Promise((resolveFn) => setTimeout(resolveFn, ms));

class Session {
  private extra?: { worker: Worker; run: Promise<void> };
  private readonly noop: Array<{ worker: Worker; run: Promise<void> }> = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly worker: WorkerApp,
    private readonly gc: () => void,
  ) {}

  /** Requests run one at a time, in order. */
  handle(request: WorkerMemoryRequest): void {
    this.queue = this.queue.then(async () => {
      try {
        send({ type: 'reply', id: request.id, value: await this.answer(request) });
      } catch (error) {
        send({
          type: 'error',
          id: request.id,
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    });
  }

  async stop(): Promise<void> {
    for (const { worker } of [...this.noop, ...(this.extra ? [this.extra] : [])]) {
      if (worker.getState() === 'RUNNING') {
        worker.shutdown();
      }
    }
    await Promise.all([...this.noop, ...(this.extra ? [this.extra] : [])].map(({ run }) => run.catch(() => undefined)));
    await this.worker.stop();
  }

  private async answer(request: WorkerMemoryRequest): Promise<unknown> {
    switch (request.cmd) {
      case 'reconcile': {
        const registry = this.worker.app.get(SourceWorkerRegistry);
        await registry.reconcile();
        return { served: registry.servedSourceIds().length };
      }
      case 'measure':
        return this.measure();
      case 'fullWorker':
        return this.startExtraFullWorker(request.bundlePath);
      case 'noopFanOut':
        return this.startNoopFanOut(request);
      case 'stop':
        await this.stop();
        process.exit(0);
    }
  }

  /** Median (by RSS) of a few samples, each after repeated full GCs. */
  private async measure(): Promise<MemorySample> {
    await sleep(SETTLE_MS);
    const samples: MemorySample[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      for (let j = 0; j < 3; j++) {
        this.gc();
        await sleep(100);
      }
      await sleep(300);
      const { rss, heapUsed, external } = process.memoryUsage();
      samples.push({ rss, heapUsed, external, threads: threadCount() });
    }
    return samples.sort((a, b) => a.rss - b.rss)[Math.floor(SAMPLES / 2)];
  }

  private async startNoopFanOut(request: NoopFanOut): Promise<{ workers: number }> {
    for (const worker of await noopWorkers(this.worker.app, request)) {
      const run = worker.run();
      run.catch((error: unknown) => process.stderr.write(`no-op worker stopped: ${String(error)}\n`));
      this.noop.push({ worker, run });
    }
    await sleep(2_000); // their pollers are open by then, as the registry's are once reconciled
    return { workers: this.noop.length };
  }

  /**
   * One more full Worker (workflows + activities) built like SharedWorkerService's, on a throwaway queue.
   * The bundle is the prebuilt-bundle path workflowSource() takes in production, so that no second
   * webpack run in this process is counted as the Worker's cost.
   */
  private async startExtraFullWorker(bundlePath: string): Promise<{ taskQueue: string }> {
    const config = this.worker.app.get<AppConfig>(APP_CONFIG);
    const worker = await Worker.create({
      connection: await this.worker.app.get(TemporalRuntimeService).connection(),
      namespace: config.temporal.namespace,
      taskQueue: EXTRA_FULL_WORKER_QUEUE,
      workflowBundle: { codePath: bundlePath },
      activities: { benchNoop: () => Promise.resolve() },
      maxCachedWorkflows: config.worker.maxCachedWorkflows,
      workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 2, maximum: 10 },
      activityTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 1, maximum: 4 },
      shutdownGraceTime: '1 second',
    });
    this.extra = { worker, run: worker.run() };
    this.extra.run.catch((error: unknown) => process.stderr.write(`extra full worker stopped: ${String(error)}\n`));
    await sleep(2_000); // its pollers are open by then
    return { taskQueue: EXTRA_FULL_WORKER_QUEUE };
  }
}

/**
 * The sync bench's B4 baseline: a full Worker for the no-op workflow (like startExtraFullWorker's) and one
 * activity-only Worker per queue, with the options SourceWorkerRegistry gives a source's Worker.
 */
type NoopFanOut = Extract<WorkerMemoryCommand, { cmd: 'noopFanOut' }>;

async function noopWorkers(
  app: WorkerApp['app'],
  { bundlePath, workflowQueue, queues }: NoopFanOut,
): Promise<Worker[]> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const connection = await app.get(TemporalRuntimeService).connection();
  const workflows = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: workflowQueue,
    workflowBundle: { codePath: bundlePath },
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 2, maximum: 10 },
    shutdownGraceTime: '1 second',
  });
  const activities = await Promise.all(
    queues.map((taskQueue) =>
      Worker.create({
        connection,
        namespace: config.temporal.namespace,
        taskQueue,
        activities: { benchNoop: () => Promise.resolve() },
        interceptors: activityInterceptors(),
        activityTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 1, maximum: 4 },
        maxConcurrentActivityTaskExecutions: config.worker.sourceConcurrency,
        shutdownGraceTime: '10 seconds',
      }),
    ),
  );
  return [workflows, ...activities];
}

function threadCount(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const gc = globalThis.gc;
  if (!gc || !process.send) {
    throw new Error('start me with --expose-gc and an IPC channel (bench/worker-memory.ts does)');
  }
  // The bench went away without saying stop (killed, timed out): do not outlive it.
  let stopOnDisconnect = (): Promise<void> => Promise.resolve();
  process.once('disconnect', () => void stopOnDisconnect().finally(() => process.exit(1)));
  const session = new Session(await startWorkerApp(loadConfigFromEnv()), () => void gc());
  stopOnDisconnect = () => session.stop();
  process.on('message', (request: WorkerMemoryRequest) => session.handle(request));
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const exit = (): never => process.exit(1);
  // Exit once the message is out: the half-built app may hold handles that keep us alive.
  return process.send ? process.send({ type: 'error', message }, undefined, undefined, exit) : exit();
});
