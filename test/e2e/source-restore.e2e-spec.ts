import { ActivitySlots, CredentialVault, SyncStore, UpstreamBudget, createCloudSyncActivities } from '@app/sync';
import { WriteKeysService } from '@app/sources';
import { PURGE_SOURCE_WORKFLOW, WORKFLOW_TASK_QUEUE, makePurgeWorkflowId } from '@app/temporal';
import { temporal } from '@temporalio/proto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { workflowBundlerOptions } from '../../apps/worker/src/temporal/workflow-bundle';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';
import { DELETED_SOURCES, RESTORE_SOURCE, perSourceCounts, sourceRow, temporalClient } from '../utils/source-lifecycle';
import { control, createStripeSource, servedQueueRows, servedWithin, syncAndWait } from '../utils/stripe-sync';
import { queryTestDb } from '../utils/database';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

const WORKFLOWS = require.resolve('../../apps/worker/src/workflows');
const EventType = temporal.api.enums.v1.EventType;

// A grace period of an hour: deleted sources wait for their purge, and restoreSource brings them back.
describe('deleting and restoring a source (grace period 1 h)', () => {
  let stack: SyncStack;
  const codeOf = async (query: string, variables: Record<string, unknown>, token = stack.token) => {
    const res = await gql(stack.api.url, query, variables, token);
    return { code: res.errors?.[0]?.extensions?.code, message: res.errors?.[0]?.message };
  };
  const purgeStatus = async (sourceId: string) =>
    (await temporalClient(stack).workflow.getHandle(makePurgeWorkflowId(sourceId)).describe()).status.name;

  beforeAll(async () => {
    stack = await startSyncStack({ customers: 80, apiEnv: { SOURCE_PURGE_GRACE_SECONDS: '3600' } });
  });
  afterAll(() => stack?.close());

  let restoredId: string;

  it('hides a deleted source at once, refuses its credentials, and restores it PAUSED with its data', async () => {
    const id = (restoredId = await createStripeSource(stack, 'Billing'));
    expect((await syncAndWait(stack, id)).recordsInserted).toBe(80);
    await stack.call(op.DELETE_SOURCE, { id });

    const { sources } = await stack.call(op.SOURCES, { first: 100 });
    expect(sources.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(id);
    expect(await codeOf(op.SOURCE, { id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await codeOf(op.TRIGGER_SYNC, { sourceId: id, object: 'customers' })).toMatchObject({ code: 'NOT_FOUND' });
    const { deletedSources } = await stack.call(DELETED_SOURCES, { first: 100 });
    expect(deletedSources.edges.map((e: { node: { id: string } }) => e.node)).toEqual([
      { id, name: 'Billing', kind: 'STRIPE', deletedAt: expect.any(String), credentials: { isSet: true } },
    ]);
    // A sync or check that somehow still ran could not open the credentials: a clear, non-retryable failure.
    const worker = stack.worker!.app;
    const cloud = createCloudSyncActivities({
      store: worker.get(SyncStore),
      vault: worker.get(CredentialVault),
      slots: new ActivitySlots(1),
      settings: {
        stripe: { ...stack.api.config.stripe, apiBaseUrl: stack.stripe.url },
        hubspot: stack.api.config.hubspot,
        shopify: stack.api.config.shopify,
      },
      budget: worker.get(UpstreamBudget),
    });
    const check = () => cloud.checkConnection({ sourceId: id });
    await expect(new MockActivityEnvironment().run(check)).rejects.toMatchObject({
      type: 'SourceDeleted',
      nonRetryable: true,
      message: expect.stringContaining('This source was deleted'),
    });
    expect(await purgeStatus(id)).toBe('RUNNING');
    expect((await perSourceCounts(id)).records).toBe(80);

    const { restoreSource } = await stack.call(RESTORE_SOURCE, { id });
    expect(restoreSource).toMatchObject({ id, status: 'PAUSED', deletedAt: null, credentials: { isSet: true } });
    // Cancellation is requested by the mutation and applied by the worker a moment later.
    await eventually(
      async () => ((await purgeStatus(id)) === 'CANCELLED' ? true : undefined),
      'purge cancelled',
      10_000,
    );
    expect(await sourceRow(id)).toEqual({ deleted_at: null, purged_at: null });
    expect((await perSourceCounts(id)).records).toBe(80);

    await stack.call(op.RESUME_SOURCE, { id });
    await servedWithin(stack, id, true, 5000);
    expect((await stack.call(op.CHECK_CONNECTION, { id })).checkSourceConnection.ok).toBe(true);
    expect(await syncAndWait(stack, id)).toMatchObject({ status: 'SUCCEEDED', recordsUnchanged: 80 });
  });

  it('stops a running sync before deleteSource answers', async () => {
    const id = await createStripeSource(stack, 'Busy');
    await control(stack.stripe, '/faults', { delayMs: 300, count: 20 });
    await stack.call(op.TRIGGER_SYNC, { sourceId: id, object: 'customers' });
    await eventually(async () => ((await runStatuses(id)).length ? true : undefined), 'the run to start', 10_000, 50);
    await stack.call(op.DELETE_SOURCE, { id });
    // No run is left RUNNING, so nothing writes rows once the source is deleted.
    expect(await runStatuses(id)).toEqual(['CANCELLED']);
    await fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' });
  });

  it('keeps write keys revoked after a restore', async () => {
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'Web', kind: 'JAVASCRIPT', environment: 'PRODUCTION' },
    });
    const { issueWriteKey } = await stack.call(op.ISSUE_WRITE_KEY, { sourceId: createSource.id });
    await stack.call(op.DELETE_SOURCE, { id: createSource.id });
    const { restoreSource } = await stack.call(RESTORE_SOURCE, { id: createSource.id });
    expect(restoreSource.writeKeys).toEqual([{ status: 'REVOKED' }]);
    expect(await stack.api.app.get(WriteKeysService).verify(issueWriteKey.secret as string)).toBeNull();
    // Deleted again at once (the cancelled purge may still be closing): a fresh purge takes its place.
    const first = await temporalClient(stack).workflow.getHandle(makePurgeWorkflowId(createSource.id)).describe();
    await stack.call(op.DELETE_SOURCE, { id: createSource.id });
    const second = await temporalClient(stack).workflow.getHandle(makePurgeWorkflowId(createSource.id)).describe();
    expect(second).toMatchObject({ status: { name: 'RUNNING' } });
    expect(second.runId).not.toBe(first.runId);
  });

  it('answers CONFLICT when the name was taken meanwhile, and the purge keeps waiting', async () => {
    const { createSource: old } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'Shop', kind: 'HTTP_API', environment: 'STAGING' },
    });
    await stack.call(op.DELETE_SOURCE, { id: old.id });
    await stack.call(op.CREATE_SOURCE, { input: { name: 'Shop', kind: 'NODEJS', environment: 'STAGING' } });
    expect(await codeOf(RESTORE_SOURCE, { id: old.id })).toEqual({
      code: 'CONFLICT',
      message: 'Another live STAGING source is now named "Shop"; rename or delete it, then restore this one',
    });
    expect(await sourceRow(old.id)).toMatchObject({ deleted_at: expect.any(Date) });
    expect(await purgeStatus(old.id)).toBe('RUNNING');
  });

  it('answers NOT_FOUND for another workspace, and only admins may list or restore', async () => {
    const { createSource } = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'Private', kind: 'GTM', environment: 'PRODUCTION' },
    });
    await stack.call(op.DELETE_SOURCE, { id: createSource.id });
    const other = (await stack.api.createWorkspace('Other')).adminToken;
    expect(await codeOf(RESTORE_SOURCE, { id: createSource.id }, other)).toMatchObject({ code: 'NOT_FOUND' });
    const theirs = await gql<any>(stack.api.url, DELETED_SOURCES, { first: 10 }, other);
    expect(theirs.data.deletedSources.totalCount).toBe(0);
    const integrator = (
      await gql<any>(stack.api.url, op.CREATE_API_TOKEN, { name: 'ci', role: 'INTEGRATOR' }, stack.token)
    ).data.createApiToken.secret as string;
    expect(await codeOf(RESTORE_SOURCE, { id: createSource.id }, integrator)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await codeOf(DELETED_SOURCES, { first: 10 }, integrator)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await sourceRow(createSource.id)).toMatchObject({ deleted_at: expect.any(Date) });
  });

  it('purges in bounded batches, idempotently, once the source is deleted', async () => {
    const id = await createStripeSource(stack, 'Batches');
    await syncAndWait(stack, id);
    await stack.call(op.DELETE_SOURCE, { id });
    // The worker releases the source's queue (and its row) on its own: count once that is done.
    await eventually(async () => ((await servedQueueRows(id)) === 0 ? true : undefined), 'queue released', 5000);
    const total = Object.values(await perSourceCounts(id)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(80);
    // The same workflow the api starts, without the grace period and with batches far smaller than the data.
    const purge = (suffix: string) =>
      temporalClient(stack).workflow.execute(PURGE_SOURCE_WORKFLOW, {
        taskQueue: WORKFLOW_TASK_QUEUE,
        workflowId: `${makePurgeWorkflowId(id)}:${suffix}`,
        args: [{ sourceId: id, graceSeconds: 0, batchSize: 7 }],
      });
    expect(await purge('first')).toEqual({ purged: true, rowsDeleted: total });
    expect(Object.values(await perSourceCounts(id)).every((n) => n === 0)).toBe(true);
    expect(await purge('again')).toEqual({ purged: true, rowsDeleted: 0 });
  });

  it('replays the history of a purge cancelled in its grace period deterministically', async () => {
    const history = await temporalClient(stack).workflow.getHandle(makePurgeWorkflowId(restoredId)).fetchHistory();
    const types = (history.events ?? []).map((e) => e.eventType);
    // Non-vacuous: the history holds the timer and the cancellation.
    expect(types).toEqual(expect.arrayContaining([EventType.EVENT_TYPE_TIMER_STARTED]));
    expect(types.at(-1)).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
    const options = { workflowsPath: WORKFLOWS, bundlerOptions: workflowBundlerOptions() };
    await expect(Worker.runReplayHistory(options, history, 'cancelled purge')).resolves.toBeUndefined();
  }, 120_000);
});

async function runStatuses(sourceId: string): Promise<string[]> {
  const rows = await queryTestDb<{ status: string }>('SELECT status FROM sync_runs WHERE source_id = $1', [sourceId]);
  return rows.map((r) => r.status);
}
