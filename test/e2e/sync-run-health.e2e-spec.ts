import { TemporalClientService, makeSyncWorkflowId } from '@app/temporal';
import { gql } from '../utils/gql';
import { control, createStripeSource, syncAndWait } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

const HEALTH = `query($sourceId: ID!) {
  syncRuns(sourceId: $sourceId, first: 1) { edges { node { status recordsRead recordsDeleted needsAttention attentionReason } } }
}`;

// Issue 9 point 6: a run that finds nothing where the previous one found many is flagged, not just SUCCEEDED.
describe('run health: a sync that suddenly finds nothing', () => {
  let stack: SyncStack;

  beforeAll(async () => {
    stack = await startSyncStack({ customers: 30 });
  });
  afterAll(() => stack?.close());

  // A run's row ends a moment before its workflow: the next trigger must not join the one finishing.
  const sync = async (sourceId: string): Promise<void> => {
    await syncAndWait(stack, sourceId);
    const handle = stack.api.app
      .get(TemporalClientService)
      .client.workflow.getHandle(makeSyncWorkflowId(sourceId, 'customers'));
    await eventually(async () => ((await handle.describe()).status.name === 'RUNNING' ? undefined : true), 'close');
  };
  const latest = async (sourceId: string) =>
    (await gql(stack.api.url, HEALTH, { sourceId }, stack.token)).data?.syncRuns.edges[0].node;

  it('flags a successful run with no records after one with 30, says what to check, and clears when data is back', async () => {
    const sourceId = await createStripeSource(stack, 'Suddenly empty');
    await sync(sourceId);
    expect(await latest(sourceId)).toMatchObject({ recordsRead: 30, needsAttention: false, attentionReason: null });

    // The key now reads an empty account (as a key of another account or mode would).
    await control(stack.stripe, '/customers/delete', { count: 30 });
    await sync(sourceId);
    const empty = await latest(sourceId);
    expect(empty).toMatchObject({ status: 'SUCCEEDED', recordsRead: 0, recordsDeleted: 30, needsAttention: true });
    expect(empty.attentionReason).toBe(
      'Found no customers where the previous run found 30, and marked the 30 rows it held deleted: check that ' +
        'the credentials still name the right account and mode (test or live) and may read customers, then ' +
        'trigger the sync again',
    );

    // An empty run after an empty run is not news; a run with records is healthy again.
    await sync(sourceId);
    expect(await latest(sourceId)).toMatchObject({ recordsRead: 0, needsAttention: false });
    // New customers, each with its customer.created event (a reset would bring them back without events:
    // drift, which flags the run too; see stripe-drift.e2e-spec.ts).
    await control(stack.stripe, '/customers/seed', { count: 30 });
    await sync(sourceId);
    expect(await latest(sourceId)).toMatchObject({ recordsRead: 30, needsAttention: false, attentionReason: null });
  });
});
