import { SYNC_WORKFLOW, type SyncWorkflowInput, sourceTaskQueue } from '@app/temporal';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { workflowBundlerOptions } from '../../apps/worker/src/temporal/workflow-bundle';
import { eventually } from '../utils/sync-stack';
import { testTemporalAddress } from '../utils/temporal';

const WORKFLOWS = require.resolve('../../apps/worker/src/workflows');

// The real sync workflow with fake activities (R14 tier 3): a batch nobody picks up within queueWaitMs
// makes the run ask the bookkeeping whether a worker serves the source. Served (only busy): the batch is
// asked again, and the run completes once a worker takes it. Not served: the run fails, saying so.
describe('the sync workflow when no worker picks up a batch', () => {
  const queue = `test-queue-wait-${randomUUID()}`;
  const served = new Map<string, boolean>();
  const asked: string[] = [];
  const failed = new Map<string, string>();
  const batches: string[] = [];
  const finished = new Set<string>();
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // another file of this jest process installed it already
    }
    connection = await NativeConnection.connect({ address: testTemporalAddress() });
    const book = {
      startSyncRun: ({ sourceId }: { sourceId: string }) => Promise.resolve(sourceId),
      finishSyncRun: ({ syncRunId }: { syncRunId: string }) => Promise.resolve(void finished.add(syncRunId)),
      cancelSyncRun: () => Promise.resolve(),
      continueSyncRun: () => Promise.resolve(),
      failSyncRun: ({ syncRunId, message }: { syncRunId: string; message: string }) =>
        Promise.resolve(void failed.set(syncRunId, message)),
      // A first sync has no saved change position: it measures no drift (no source-queue activity).
      driftMeasurable: () => Promise.resolve(false),
      sourceServed: ({ sourceId }: { sourceId: string }) => {
        asked.push(sourceId);
        return Promise.resolve(served.get(sourceId) ?? false);
      },
    };
    worker = await Worker.create({
      connection,
      taskQueue: queue,
      workflowsPath: WORKFLOWS,
      bundlerOptions: workflowBundlerOptions(),
      activities: book,
    });
    running = worker.run();
    client = new Client({ connection: await Connection.connect({ address: testTemporalAddress() }) });
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await client?.connection.close();
    await connection?.close();
  });

  const start = (sourceId: string) => {
    const input: SyncWorkflowInput = { sourceId, object: 'customers', mode: 'FULL_REFRESH', queueWaitMs: 1000 };
    return client.workflow.start(SYNC_WORKFLOW, {
      taskQueue: queue,
      workflowId: `sync:${sourceId}:customers`,
      args: [input],
    });
  };

  it('asks the batch again while a worker records serving the source, and completes once one takes it', async () => {
    const sourceId = randomUUID();
    served.set(sourceId, true);
    const handle = await start(sourceId);
    await eventually(
      () => Promise.resolve(asked.filter((id) => id === sourceId).length >= 2 || undefined),
      'two checks',
      20_000,
      100,
    );
    const late = await Worker.create({
      connection,
      taskQueue: sourceTaskQueue(sourceId),
      activities: {
        syncBatch: ({ syncRunId }: { syncRunId: string }) => {
          batches.push(syncRunId);
          return Promise.resolve({ done: true, pages: 1, read: 0 });
        },
      },
    });
    await expect(late.runUntil(handle.result())).resolves.toEqual({ syncRunId: sourceId, pages: 1 });
    expect(batches).toEqual([sourceId]);
    expect(finished.has(sourceId)).toBe(true);
    expect(failed.has(sourceId)).toBe(false);
  }, 60_000);

  it('fails the run with "No worker serves this source" when none does', async () => {
    const sourceId = randomUUID();
    const handle = await start(sourceId);
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(failed.get(sourceId)).toMatch(
      new RegExp(`^No worker serves this source \\(queue ${sourceTaskQueue(sourceId)}\\): start a Tributary worker`),
    );
    expect(asked.filter((id) => id === sourceId)).toHaveLength(1);
  }, 60_000);
});
