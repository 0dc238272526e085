import { SYNC_WORKFLOW, sourceTaskQueue } from '@app/temporal';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, type LogEntry, NativeConnection, Runtime, Worker, defaultSinks } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { workflowBundlerOptions } from '../../apps/worker/src/temporal/workflow-bundle';
import { eventually } from '../utils/sync-stack';
import { testTemporalAddress } from '../utils/temporal';

const WORKFLOWS = require.resolve('../../apps/worker/src/workflows');

// The real sync workflow with fake activities (R14 tier 3): syncBatch answers something the workflow cannot
// read, so the workflow's own code throws a TypeError. The run must record our words and an error id; the
// text goes to the worker log (the workflow logger) under that id.
describe('the sync workflow on an unexpected failure in its own code', () => {
  const sourceId = randomUUID();
  const queue = `test-workflow-failure-${sourceId}`;
  const logged: LogEntry[] = [];
  const recorded: string[] = [];
  let connection: NativeConnection;
  let workers: Worker[];
  let running: Promise<void>[];
  let client: Client;

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') }); // the SDK's INFO lines are noise here
    } catch {
      // another file of this jest process installed it already
    }
    connection = await NativeConnection.connect({ address: testTemporalAddress() });
    const book = {
      startSyncRun: () => Promise.resolve(randomUUID()),
      cancelSyncRun: () => Promise.resolve(),
      failSyncRun: ({ message }: { message: string }) => Promise.resolve(void recorded.push(message)),
    };
    workers = [
      await Worker.create({
        connection,
        taskQueue: queue,
        workflowsPath: WORKFLOWS,
        bundlerOptions: workflowBundlerOptions(),
        activities: book,
        // The workflow logger's sink, captured (the worker process sends it to pino through the Runtime).
        sinks: defaultSinks(new DefaultLogger('WARN', (entry) => logged.push(entry))),
      }),
      await Worker.create({
        connection,
        taskQueue: sourceTaskQueue(sourceId),
        activities: { syncBatch: () => Promise.resolve(null) },
      }),
    ];
    running = workers.map((w) => w.run());
    client = new Client({ connection: await Connection.connect({ address: testTemporalAddress() }) });
  }, 120_000);
  afterAll(async () => {
    workers?.forEach((w) => w.shutdown());
    await Promise.all(running ?? []);
    await client?.connection.close();
    await connection?.close();
  });

  it('records our message and an error id, and logs the detail under that id', async () => {
    const handle = await client.workflow.start(SYNC_WORKFLOW, {
      taskQueue: queue,
      workflowId: `sync:${sourceId}:customers`,
      args: [{ sourceId, object: 'customers', mode: 'FULL_REFRESH' }],
    });
    const message = await eventually(() => Promise.resolve(recorded[0]), 'the run to record its failure', 30_000);
    await handle.terminate('test done');

    const errorId = /^Unexpected failure \(error id ([0-9a-f-]{36})\): the worker log has the details$/.exec(
      message,
    )?.[1];
    expect(errorId).toBeDefined();
    expect(message).not.toContain('null');
    const line = logged.find((entry) => entry.meta?.errorId === errorId);
    expect(line?.level).toBe('ERROR');
    expect(line?.meta?.error).toMatchObject({ type: 'TypeError', message: expect.stringContaining('null') });
  }, 60_000);
});
