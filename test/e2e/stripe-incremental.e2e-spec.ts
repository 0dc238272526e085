import { Client, Connection } from '@temporalio/client';
import Stripe from 'stripe';
import { stripeClientOptions } from '../../libs/connectors/src/stripe/stripe.connector';
import { STRIPE_EVENT_WORKFLOW, type StripeEventInput } from '../../libs/temporal/src/contracts';
import { WORKFLOW_TASK_QUEUE } from '../../libs/temporal/src/task-queues';
import { makeStripeEventWorkflowId } from '../../libs/temporal/src/workflow-ids';
import type { ApplyChangeResult } from '../../libs/sync/src/apply-change';
import { queryTestDb } from '../utils/database';
import * as op from '../utils/operations';
import { control, createStripeSource, liveRecords, type RunNode, syncAndWait } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { testTemporalAddress } from '../utils/temporal';

type Listed = { id: string } & Record<string, unknown>;

const CUSTOMERS = 120;

// Issue 9 point 2: runs after the first read only Stripe's events, newest wins, and fall back to a full
// refresh (saying why) when the events they need are gone.
describe('Incremental Stripe syncs from /v1/events', () => {
  let stack: SyncStack;
  let stripe: Stripe;
  let temporal: Client;
  let sourceId: string;

  beforeAll(async () => {
    // A day between full refreshes (the test default is every run), so runs after the first are incremental.
    stack = await startSyncStack({ customers: CUSTOMERS, apiEnv: { SYNC_FULL_REFRESH_MINUTES: '1440' } });
    stripe = new Stripe('sk_test_tributary', stripeClientOptions(stack.stripe.url));
    temporal = new Client({ connection: await Connection.connect({ address: testTemporalAddress() }) });
    sourceId = await createStripeSource(stack, 'Billing, incremental');
  }, 120_000);
  afterAll(async () => {
    await temporal?.connection.close();
    await stack?.close();
  });

  const sync = (object: string, id = sourceId): Promise<RunNode> => syncAndWait(stack, id, 120_000, object);
  const truth = async (object: string): Promise<Map<string, Listed>> => {
    const res = await fetch(`${stack.stripe.url}/_emulator/${object}`);
    return new Map(((await res.json()) as { data: Listed[] }).data.map((o) => [o.id, o]));
  };
  const newestEvent = async (): Promise<Stripe.Event> => (await stripe.events.list({ limit: 1 })).data[0];
  const applyEvent = (eventId: string): Promise<ApplyChangeResult> =>
    temporal.workflow.execute(STRIPE_EVENT_WORKFLOW, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId: makeStripeEventWorkflowId(sourceId, eventId),
      args: [{ sourceId, eventId } satisfies StripeEventInput],
    });
  const deletedAt = async (object: string, id: string): Promise<Date | null> =>
    (
      await queryTestDb<{ deleted_at: Date | null }>(
        'SELECT deleted_at FROM records WHERE source_id = $1 AND object = $2 AND external_id = $3',
        [sourceId, object, id],
      )
    )[0].deleted_at;

  it('customers: the first run is a full refresh that says why, later runs apply creates, updates and deletes from events with exact counts', async () => {
    const first = await sync('customers');
    expect(first).toMatchObject({
      mode: 'FULL_REFRESH',
      reason: 'First sync of customers',
      status: 'SUCCEEDED',
      recordsInserted: CUSTOMERS,
    });
    expect(await sync('customers')).toMatchObject({ mode: 'INCREMENTAL', reason: null, recordsRead: 0, pages: 1 });

    const [kept, gone] = [...(await truth('customers')).keys()];
    const a = await stripe.customers.create({ email: 'a@example.com', name: 'A' });
    const b = await stripe.customers.create({ email: 'b@example.com' });
    await stripe.customers.update(kept, { name: 'Renamed' });
    await stripe.customers.del(gone);
    await stripe.customers.update(a.id, { name: 'A, renamed' });

    // Five events; A's creation is superseded by its update in the same page (counted unchanged).
    expect(await sync('customers')).toMatchObject({
      mode: 'INCREMENTAL',
      status: 'SUCCEEDED',
      recordsRead: 5,
      recordsInserted: 2,
      recordsUpdated: 1,
      recordsDeleted: 1,
      recordsUnchanged: 1,
    });
    const expected = await truth('customers');
    const stored = await liveRecords(sourceId, 'customers');
    expect(stored.size).toBe(CUSTOMERS + 1);
    expect(new Set(stored.keys())).toEqual(new Set(expected.keys()));
    for (const id of [a.id, b.id, kept]) {
      expect(stored.get(id)).toEqual(expected.get(id));
    }
    expect(stored.get(a.id)).toMatchObject({ name: 'A, renamed' });
    expect(await deletedAt('customers', gone)).not.toBeNull(); // a soft delete

    // The lookback reads those events again: they change nothing and are not counted.
    expect(await sync('customers')).toMatchObject({ mode: 'INCREMENTAL', recordsRead: 0, recordsUpdated: 0 });
  }, 300_000);

  it('subscriptions and trials: updates and cancels arrive from events; a canceled subscription stays live with its status', async () => {
    await sync('subscriptions');
    await sync('trials');
    const subscriptions = [...(await truth('subscriptions')).values()];
    const trialing = subscriptions.find((s) => s.status === 'trialing')!;
    const plain = subscriptions.find((s) => s.status === 'active' && s.trial_start === null)!;
    await stripe.subscriptions.update(plain.id, { metadata: { plan: 'gold' } });
    await stripe.subscriptions.cancel(trialing.id);

    const run = await sync('subscriptions');
    expect(run).toMatchObject({ mode: 'INCREMENTAL', recordsInserted: 0, recordsUpdated: 2, recordsDeleted: 0 });
    // The customer deleted above had its subscriptions cancelled first (customer.subscription.deleted),
    // in the second of the position the full refresh saved (a customer.deleted, not among these types):
    // the lookback cannot prove that event a replay, so it may be read again, without effect.
    expect(run.recordsRead - run.recordsUnchanged).toBe(2);
    const expected = await truth('subscriptions');
    const stored = await liveRecords(sourceId, 'subscriptions');
    expect(stored.get(plain.id)).toEqual(expected.get(plain.id));
    expect(stored.get(trialing.id)).toEqual(expected.get(trialing.id));
    expect(stored.get(trialing.id)).toMatchObject({ status: 'canceled' });

    // Only the canceled subscription had a trial: its trial ended without converting.
    expect(await sync('trials')).toMatchObject({ mode: 'INCREMENTAL', recordsRead: 1, recordsUpdated: 1 });
    expect((await liveRecords(sourceId, 'trials')).get(trialing.id)).toMatchObject({
      status: 'canceled',
      converted: false,
    });
  }, 300_000);

  it('applyStripeEvent applies one event by id as a WEBHOOK run; an older event, by webhook or from the events, never rolls a row back', async () => {
    const id = [...(await truth('customers')).keys()][5];
    await stripe.customers.update(id, { name: 'First' });
    const older = await newestEvent();
    await stripe.customers.update(id, { name: 'Second' });
    const newer = await newestEvent();

    expect(await applyEvent(newer.id)).toEqual({
      objects: 1,
      read: 1,
      inserted: 0,
      updated: 1,
      unchanged: 0,
      deleted: 0,
    });
    expect((await liveRecords(sourceId, 'customers')).get(id)).toMatchObject({ name: 'Second' });
    const { syncRuns } = await stack.call(op.SYNC_RUNS, { sourceId, first: 1 });
    expect(syncRuns.edges[0].node).toMatchObject({
      object: 'customers',
      mode: 'WEBHOOK',
      status: 'SUCCEEDED',
      reason: `Webhook delivery of event ${newer.id}`,
      recordsRead: 1,
      recordsUpdated: 1,
      workflowId: makeStripeEventWorkflowId(sourceId, newer.id),
    });

    // The older event, delivered late: read, not applied.
    expect(await applyEvent(older.id)).toMatchObject({ read: 1, updated: 0, unchanged: 1 });
    expect((await liveRecords(sourceId, 'customers')).get(id)).toMatchObject({ name: 'Second' });

    // The events path reads both: the row already holds the newer one, so neither changes it.
    expect(await sync('customers')).toMatchObject({
      mode: 'INCREMENTAL',
      recordsRead: 2,
      recordsUpdated: 0,
      recordsUnchanged: 2,
    });
    expect((await liveRecords(sourceId, 'customers')).get(id)).toEqual((await truth('customers')).get(id));
  }, 300_000);

  it('a deletion delivered before the creation it follows leaves the record deleted', async () => {
    const c = await stripe.customers.create({ email: 'short-lived@example.com' });
    const created = await newestEvent();
    await stripe.customers.del(c.id);
    const deleted = await newestEvent();
    expect(await applyEvent(deleted.id)).toMatchObject({ read: 1, inserted: 0, deleted: 0, unchanged: 1 });
    expect(await applyEvent(created.id)).toMatchObject({ read: 1, inserted: 0, unchanged: 1 });
    expect(await deletedAt('customers', c.id)).not.toBeNull();
    expect((await liveRecords(sourceId, 'customers')).has(c.id)).toBe(false);
  }, 300_000);

  it('a customer changed during a full refresh is in its latest version after the next incremental run', async () => {
    const other = await createStripeSource(stack, 'Billing, listed slowly');
    // Every customers page waits, so the change lands after the first page was read and committed.
    await control(stack.stripe, '/faults', { delayMs: 1500, count: 2, path: '/v1/customers' });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId: other, object: 'customers' });
    await eventually(
      async () => ((await liveRecords(other, 'customers')).size >= 100 ? true : undefined),
      'the first page committed',
      60_000,
      50,
    );
    const listed = [...(await liveRecords(other, 'customers')).keys()][0];
    await stripe.customers.update(listed, { name: 'Changed during the listing' });
    // Ten minutes later by Stripe's clock (beyond the lookback), still during the listing, a customer is
    // created: only a position taken before the listing makes the next run read both changes.
    await control(stack.stripe, '/clock', { advance: 600 });
    const added = await stripe.customers.create({ email: 'during-the-listing@example.com' });
    const refresh = await eventually(
      async () => {
        const { syncRuns } = await stack.call(op.SYNC_RUNS, { sourceId: other, first: 5 });
        const run = (syncRuns.edges as { node: RunNode }[])
          .map((e) => e.node)
          .find((r) => r.runId === triggerSourceSync.runId);
        return run?.status === 'SUCCEEDED' ? run : undefined;
      },
      'the full refresh',
      60_000,
    );
    expect(refresh).toMatchObject({ mode: 'FULL_REFRESH', recordsDeleted: 0 });
    // The listing read that customer before the change.
    expect((await liveRecords(other, 'customers')).get(listed)).not.toMatchObject({
      name: 'Changed during the listing',
    });

    expect(await sync('customers', other)).toMatchObject({
      mode: 'INCREMENTAL',
      recordsRead: 2,
      recordsUpdated: 1,
      recordsInserted: 1,
    });
    const stored = await liveRecords(other, 'customers');
    expect(stored.get(listed)).toEqual((await truth('customers')).get(listed));
    expect(stored.get(added.id)).toEqual((await truth('customers')).get(added.id));
  }, 300_000);

  it('a saved position older than the 30-day events horizon (by the emulator clock) makes the run a full refresh, and says so', async () => {
    await sync('customers'); // catches up with the change of the test before
    await control(stack.stripe, '/clock', { advance: 31 * 24 * 3600 });
    const id = [...(await truth('customers')).keys()][7];
    await stripe.customers.update(id, { name: 'After a month' });

    const run = await sync('customers');
    expect(run).toMatchObject({ mode: 'FULL_REFRESH', status: 'SUCCEEDED', recordsUpdated: 1, recordsDeleted: 0 });
    expect(run.reason).toMatch(
      /^Full refresh: the saved events position \(.+\) is older than Stripe's 30-day events horizon/,
    );
    expect((await liveRecords(sourceId, 'customers')).get(id)).toEqual((await truth('customers')).get(id));
    // The refresh saved a new position: the next run is incremental again.
    expect(await sync('customers')).toMatchObject({ mode: 'INCREMENTAL', reason: null, recordsRead: 0 });
  }, 300_000);
});
