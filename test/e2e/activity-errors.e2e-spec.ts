import { TemporalClientService } from '@app/temporal';
import { queryTestDb } from '../utils/database';
import { gql } from '../utils/gql';
import { activityAttempts, type History, readableText } from '../utils/history';
import * as op from '../utils/operations';
import { control, createStripeSource, type RunNode, syncAndWait, waitForRun } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

// 250 customers: pages of 100, 100 and 50.
const CUSTOMERS = 250;
const ERROR_ID = /\(error id ([0-9a-f-]{36})\): the worker log has the details$/;
const CONSTRAINT = 'e2e_injected_pages_check';

interface LogLine {
  errorId?: string;
  errorClass?: string;
  attempt?: number;
  err?: { type?: string; message?: string; stack?: string; code?: string };
}

describe('activity errors: classified once, masked in Temporal and SyncRun.error, detailed in the log', () => {
  let stack: SyncStack;
  let worker: WorkerProcess;
  let integratorToken: string;

  // The worker runs as its own process, as in production: its log is its stdout, one JSON object a line.
  const logLines = (): LogLine[] =>
    worker
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  const logged = (errorId: string): LogLine | undefined => logLines().find((line) => line.errorId === errorId);
  const historyOf = (run: RunNode): Promise<History> =>
    stack.api.app.get(TemporalClientService).client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
  // SyncRun.error as an INTEGRATOR token reads it through GraphQL.
  const errorAsIntegrator = async (sourceId: string, runId: string): Promise<string | null> => {
    const res = await gql<any>(stack.api.url, op.SYNC_RUNS, { sourceId, first: 50 }, integratorToken);
    return (res.data?.syncRuns.edges as { node: RunNode }[]).find((e) => e.node.runId === runId)?.node.error ?? null;
  };

  beforeAll(async () => {
    stack = await startSyncStack({ customers: CUSTOMERS, inProcessWorker: false });
    worker = spawnWorker(stack.api.config, { STRIPE_API_BASE_URL: stack.stripe.url });
    await worker.ready();
    integratorToken = (await stack.call(op.CREATE_API_TOKEN, { name: 'integrator', role: 'INTEGRATOR' })).createApiToken
      .secret;
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await queryTestDb(`ALTER TABLE sync_runs DROP CONSTRAINT IF EXISTS ${CONSTRAINT}`);
    await stack?.close();
  });

  it('a programming error (our mapper on a malformed body) fails at once, with an error id instead of its text', async () => {
    const sourceId = await createStripeSource(stack, 'Malformed');
    // On the listing: the source's first request is the account lookup (GET /v1/account).
    await control(stack.stripe, '/faults', { malformed: true, count: 1, path: '/v1/customers' });
    const run = await syncAndWait(stack, sourceId);

    expect(run.status).toBe('FAILED');
    const errorId = ERROR_ID.exec(run.error ?? '')?.[1];
    expect(run.error).toBe(`Internal error in syncBatch (error id ${errorId}): the worker log has the details`);
    expect(await errorAsIntegrator(sourceId, run.runId)).toBe(run.error);

    const history = await historyOf(run);
    const text = readableText(history).join('\n');
    expect(text).toContain(errorId);
    for (const raw of ['Cannot read properties', "reading 'length'", 'TypeError']) {
      expect(text).not.toContain(raw);
    }
    // Not retried: the one syncBatch ran once and failed.
    expect(activityAttempts(history).filter((a) => a.activity === 'syncBatch')).toEqual([
      { activity: 'syncBatch', attempt: 1, failure: run.error, lastFailure: undefined },
    ]);
    expect(run.retries).toBe(0);

    const line = logged(errorId as string);
    expect(line).toMatchObject({ errorClass: 'programming', attempt: 1, err: { type: 'TypeError' } });
    expect(line?.err?.message).toContain("Cannot read properties of null (reading 'length')");
    expect(line?.err?.stack).toContain('stripe.connector');
  });

  it('a database error is retried until it clears, and Temporal keeps only our message and its id', async () => {
    const sourceId = await createStripeSource(stack, 'Database trouble');
    // Postgres refuses the second page's bookkeeping (pages 1 → 2) until the constraint is dropped.
    await queryTestDb(`ALTER TABLE sync_runs ADD CONSTRAINT ${CONSTRAINT} CHECK (pages < 2) NOT VALID`);
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    const failedAttempt = await eventually(
      () => Promise.resolve(logLines().find((l) => l.errorClass === 'database' && (l.attempt ?? 0) >= 2)),
      'a second failed attempt of the page',
    );
    await queryTestDb(`ALTER TABLE sync_runs DROP CONSTRAINT ${CONSTRAINT}`);
    const run = await waitForRun(stack, sourceId, triggerSourceSync.runId as string);

    expect(run).toMatchObject({ status: 'SUCCEEDED', error: null, pages: 3, recordsRead: CUSTOMERS });
    expect(run.retries).toBeGreaterThanOrEqual(2);
    const history = await historyOf(run);
    const text = readableText(history).join('\n');
    for (const raw of [CONSTRAINT, 'violates check constraint', 'sync_runs', 'QueryFailedError']) {
      expect(text).not.toContain(raw);
    }
    const retried = activityAttempts(history).find((a) => a.activity === 'syncBatch' && a.attempt > 1);
    const errorId = ERROR_ID.exec(retried?.lastFailure ?? '')?.[1];
    expect(retried?.lastFailure).toBe(
      `Database error in syncBatch (error id ${errorId}): the worker log has the details`,
    );
    expect(logged(errorId as string)).toMatchObject({
      errorClass: 'database',
      err: { type: 'QueryFailedError', code: '23514', message: expect.stringContaining(CONSTRAINT) },
    });
    expect(failedAttempt.err?.message).toContain(CONSTRAINT);
  }, 120_000);
});
