import { createSourcePurgeActivities, SourcePurgeStore } from '@app/sources';
import { PURGE_SOURCE_WORKFLOW, WORKFLOW_TASK_QUEUE, makePurgeWorkflowId } from '@app/temporal';
import { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundlerOptions } from '../../apps/worker/src/temporal/workflow-bundle';
import { ensureTemporal } from '../../scripts/lib/ensure-temporal';
import { queryTestDb, requiredEnv } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';
import { RESTORE_SOURCE, perSourceCounts, sourceRow, temporalClient } from '../utils/source-lifecycle';
import { createStripeSource, syncAndWait } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

const FIXTURE = join(__dirname, '..', '..', 'libs', 'sources', 'src', 'workflows', '__fixtures__');
const WORKFLOWS = require.resolve('../../apps/worker/src/workflows');

// SOURCE_PURGE_GRACE_SECONDS=0: deleting a source purges its data at once, through the real worker.
describe('purge of a deleted source (grace period 0)', () => {
  let stack: SyncStack;

  beforeAll(async () => {
    stack = await startSyncStack({ customers: 120, apiEnv: { SOURCE_PURGE_GRACE_SECONDS: '0' } });
  });
  afterAll(() => stack?.close());

  it('deletes every per-source row of the source and nothing of another source; Temporal shows it by SourceId', async () => {
    const doomed = await createStripeSource(stack, 'Doomed');
    const kept = await createStripeSource(stack, 'Kept');
    expect((await syncAndWait(stack, doomed)).status).toBe('SUCCEEDED');
    expect((await syncAndWait(stack, kept)).status).toBe('SUCCEEDED');
    // Webhook dedupe rows (Stripe's, issue 9; HubSpot's, issue 13; Shopify's, issue 14) belong to their source too.
    for (const id of [doomed, kept]) {
      for (const table of ['stripe_webhook_events', 'hubspot_webhook_events', 'shopify_webhook_events']) {
        await queryTestDb(`INSERT INTO ${table} (source_id, event_id, received_at) VALUES ($1, 'evt_purge', now())`, [
          id,
        ]);
      }
    }
    const before = await perSourceCounts(doomed);
    // Non-vacuous: the source has rows in the tables a sync fills.
    expect(before).toMatchObject({
      records: 120,
      sync_state: 1,
      sync_runs: 1,
      source_credentials: 1,
      stripe_webhook_events: 1,
      hubspot_webhook_events: 1,
      shopify_webhook_events: 1,
    });
    const keptBefore = await perSourceCounts(kept);

    const { deleteSource } = await stack.call(op.DELETE_SOURCE, { id: doomed });
    expect(deleteSource.deletedAt).not.toBeNull();
    const result = await temporalClient(stack).workflow.getHandle(makePurgeWorkflowId(doomed)).result();
    expect(result).toMatchObject({ purged: true });
    expect(result.rowsDeleted).toBeGreaterThanOrEqual(125);

    expect(Object.values(await perSourceCounts(doomed)).every((n) => n === 0)).toBe(true);
    expect(await perSourceCounts(kept)).toEqual(keptBefore);
    // The row stays as a tombstone: deleted, purged, restorable no more.
    expect(await sourceRow(doomed)).toMatchObject({ deleted_at: expect.any(Date), purged_at: expect.any(Date) });
    const restore = await gql(stack.api.url, RESTORE_SOURCE, { id: doomed }, stack.token);
    expect(restore.errors?.[0]).toMatchObject({
      extensions: { code: 'NOT_FOUND' },
      message: expect.stringContaining('already purged'),
    });

    const listed = await eventually(
      async () => {
        const found = [];
        for await (const wf of temporalClient(stack).workflow.list({ query: `SourceId="${doomed}"` })) {
          found.push(wf);
        }
        return found.some((wf) => wf.workflowId === makePurgeWorkflowId(doomed)) ? found : undefined;
      },
      'the purge in Temporal visibility',
      15_000,
    );
    const purge = listed.find((wf) => wf.workflowId === makePurgeWorkflowId(doomed));
    expect(purge).toMatchObject({ type: PURGE_SOURCE_WORKFLOW, status: { name: 'COMPLETED' } });
    expect(purge?.searchAttributes).toMatchObject({ SourceKind: ['STRIPE'], WorkspaceId: [expect.any(String)] });
  });

  it('re-checks deleted_at: a purge of a live source deletes nothing', async () => {
    const live = await createStripeSource(stack, 'Alive');
    await syncAndWait(stack, live);
    const before = await perSourceCounts(live);
    expect(before.records).toBe(120);

    const result = await temporalClient(stack).workflow.execute(PURGE_SOURCE_WORKFLOW, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId: `${makePurgeWorkflowId(live)}:probe`,
      args: [{ sourceId: live, graceSeconds: 0 }],
    });
    expect(result).toEqual({ purged: false, reason: expect.stringContaining('not deleted'), rowsDeleted: 0 });
    // The row-deleting activity refuses on its own too, without a begun purge (non-retryable).
    const activities = createSourcePurgeActivities(stack.worker!.app.get(SourcePurgeStore));
    await expect(activities.purgeSourceRows({ sourceId: live, batchSize: 10 })).rejects.toMatchObject({
      type: 'PurgeRefused',
      nonRetryable: true,
    });
    expect(await perSourceCounts(live)).toEqual(before);
    expect(await sourceRow(live)).toEqual({ deleted_at: null, purged_at: null });
  });

  it('replays deterministically: a purge history of today and the committed fixture', async () => {
    const purge = await eventually(
      async () => {
        for await (const wf of temporalClient(stack).workflow.list({
          query: `WorkflowType="${PURGE_SOURCE_WORKFLOW}"`,
        })) {
          if (wf.status.name === 'COMPLETED' && wf.workflowId.endsWith(':probe') === false) {
            return wf;
          }
        }
        return undefined;
      },
      'a completed purge',
      15_000,
    );
    const fixture = join(FIXTURE, 'purge-source.history.json');
    if (process.env.RECORD_WORKFLOW_FIXTURES === '1' || !existsSync(fixture)) {
      writeFileSync(fixture, await exportHistory(purge.workflowId, purge.runId));
    }
    const today = await temporalClient(stack).workflow.getHandle(purge.workflowId, purge.runId).fetchHistory();
    const options = { workflowsPath: WORKFLOWS, bundlerOptions: workflowBundlerOptions() };
    await expect(Worker.runReplayHistory(options, today, purge.workflowId)).resolves.toBeUndefined();
    const committed: unknown = JSON.parse(readFileSync(fixture, 'utf8'));
    await expect(Worker.runReplayHistory(options, committed, 'committed fixture')).resolves.toBeUndefined();
  }, 120_000);
});

/** The history as the Temporal CLI exports it (proto JSON), which SDK replayers read. */
async function exportHistory(workflowId: string, runId: string): Promise<string> {
  const cli = await ensureTemporal(() => undefined);
  const address = requiredEnv('TEST_TEMPORAL_ADDRESS');
  const args = ['workflow', 'show', '--address', address, '-w', workflowId, '-r', runId, '--output', 'json'];
  return execFileSync(cli, args, { encoding: 'utf8' });
}
