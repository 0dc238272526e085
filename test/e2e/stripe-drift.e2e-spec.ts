import { TemporalClientService, makeSyncWorkflowId } from '@app/temporal';
import Stripe from 'stripe';
import { stripeClientOptions } from '../../libs/connectors/src/stripe/stripe.connector';
import { queryTestDb } from '../utils/database';
import * as op from '../utils/operations';
import { control, createStripeSource, liveRecords, waitForRun } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

// Two pages of 100: a change can land between the listing's pages.
const CUSTOMERS = 150;

const RUNS = `query($sourceId: ID!) {
  syncRuns(sourceId: $sourceId, first: 1) {
    edges { node { id runId mode reason status recordsInserted recordsUpdated recordsDeleted drift needsAttention
      attentionReason } }
  }
}`;
const SOURCE_DRIFT = `query($id: ID!) { source(id: $id) { drift { object drift syncRunId measuredAt } } }`;

interface DriftRun {
  id: string;
  mode: string;
  reason: string | null;
  status: string;
  recordsInserted: number;
  recordsUpdated: number;
  recordsDeleted: number;
  drift: number | null;
  needsAttention: boolean;
  attentionReason: string | null;
}

// Issue 9 point 6: Stripe has no list totals, so what the incremental runs missed is measured by full
// refreshes: rows the listing inserted, changed or deleted that no event since the saved position explains.
describe('Drift measured by Stripe full refreshes', () => {
  let stack: SyncStack;
  let stripe: Stripe;
  let sourceId: string;

  beforeAll(async () => {
    // A day between periodic full refreshes: runs after the first are incremental until a test ages it.
    stack = await startSyncStack({ customers: CUSTOMERS, apiEnv: { SYNC_FULL_REFRESH_MINUTES: '1440' } });
    stripe = new Stripe('sk_test_tributary', stripeClientOptions(stack.stripe.url));
    sourceId = await createStripeSource(stack, 'Billing, drift');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const sync = async (): Promise<DriftRun> => {
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    return finished(triggerSourceSync.runId as string);
  };
  // A run's row ends a moment before its workflow: the next trigger must not join the one finishing.
  const finished = async (runId: string): Promise<DriftRun> => {
    await waitForRun(stack, sourceId, runId);
    const handle = stack.api.app
      .get(TemporalClientService)
      .client.workflow.getHandle(makeSyncWorkflowId(sourceId, 'customers'));
    await eventually(async () => ((await handle.describe()).status.name === 'RUNNING' ? undefined : true), 'close');
    const { syncRuns } = await stack.call(RUNS, { sourceId });
    return syncRuns.edges[0].node as DriftRun;
  };
  // The last full refresh finished two days ago: the next run is a periodic full refresh.
  const ageFullRefresh = () =>
    queryTestDb(
      `UPDATE sync_runs SET finished_at = finished_at - interval '2 days'
        WHERE source_id = $1 AND object = 'customers' AND mode = 'FULL_REFRESH'`,
      [sourceId],
    );
  const sourceDrift = async () => (await stack.call(SOURCE_DRIFT, { id: sourceId })).source.drift;
  const customerIds = async (): Promise<string[]> => {
    const res = await fetch(`${stack.stripe.url}/_emulator/customers`);
    return ((await res.json()) as { data: { id: string }[] }).data.map((c) => c.id);
  };

  it('a first sync does not measure drift', async () => {
    expect(await sync()).toMatchObject({ mode: 'FULL_REFRESH', reason: 'First sync of customers', drift: null });
    expect(await sourceDrift()).toEqual([]);
    expect(await sync()).toMatchObject({ mode: 'INCREMENTAL', drift: null, needsAttention: false });
  }, 300_000);

  it('a full refresh after incremental runs counts exactly the silent changes and deletes, not those with events', async () => {
    const ids = await customerIds();
    // Applied by an incremental run before the refresh: the listing finds it unchanged.
    await stripe.customers.update(ids[0], { name: 'Caught up' });
    expect(await sync()).toMatchObject({ mode: 'INCREMENTAL', recordsUpdated: 1 });

    const [silent1, silent2, silentGone, evented, eventedGone] = ids.slice(10, 15);
    await control(stack.stripe, '/customers/update', { ids: [silent1, silent2], silent: true });
    await control(stack.stripe, '/customers/delete', { ids: [silentGone], silent: true });
    // Changes with events no incremental run read yet: the refresh catches up on them, they are no drift.
    await stripe.customers.update(evented, { name: 'With an event' });
    await stripe.customers.del(eventedGone);
    const created = await stripe.customers.create({ email: 'new@example.com' });

    await ageFullRefresh();
    const refresh = await sync();
    expect(refresh).toMatchObject({
      mode: 'FULL_REFRESH',
      status: 'SUCCEEDED',
      recordsInserted: 1,
      recordsUpdated: 3,
      recordsDeleted: 2,
      drift: 3,
      needsAttention: true,
    });
    expect(refresh.reason).toMatch(/^Periodic full refresh/);
    expect(refresh.attentionReason).toMatch(/^This full refresh found 3 customers row\(s\) .+ without any event/);
    expect(await sourceDrift()).toEqual([
      { object: 'customers', drift: 3, syncRunId: refresh.id, measuredAt: expect.any(String) },
    ]);
    const stored = await liveRecords(sourceId);
    expect(stored.has(silentGone)).toBe(false);
    expect(stored.has(created.id)).toBe(true);
    expect(stored.get(silent1)).toMatchObject({ description: expect.stringMatching(/^Updated by the emulator/) });
  }, 300_000);

  it('a full refresh with nothing missed measures drift 0 and needs no attention', async () => {
    const ids = await customerIds();
    await stripe.customers.update(ids[3], { name: 'Evented only' });
    await ageFullRefresh();
    const refresh = await sync();
    expect(refresh).toMatchObject({ mode: 'FULL_REFRESH', recordsUpdated: 1, drift: 0, needsAttention: false });
    expect(await sourceDrift()).toEqual([
      { object: 'customers', drift: 0, syncRunId: refresh.id, measuredAt: expect.any(String) },
    ]);
  }, 300_000);

  it('a change made during the listing, after the head it recorded, is explained by its event: no drift', async () => {
    const oldest = (await customerIds()).at(-1)!; // listed newest first: on the second page
    await ageFullRefresh();
    // Each customers page waits, so the change lands after the head was recorded and the first page committed.
    await control(stack.stripe, '/faults', { delayMs: 1500, count: 2, path: '/v1/customers' });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    await eventually(
      async () => {
        const [row] = await queryTestDb<{ pages: number }>('SELECT pages FROM sync_runs WHERE temporal_run_id = $1', [
          triggerSourceSync.runId,
        ]);
        return row?.pages === 1 ? true : undefined;
      },
      'the first page committed',
      60_000,
      50,
    );
    await stripe.customers.update(oldest, { name: 'Changed during the listing' });
    expect(await finished(triggerSourceSync.runId as string)).toMatchObject({
      mode: 'FULL_REFRESH',
      recordsUpdated: 1,
      drift: 0,
    });
    expect((await liveRecords(sourceId)).get(oldest)).toMatchObject({ name: 'Changed during the listing' });
  }, 300_000);

  it('a measure that fails leaves drift null and says why; the full refresh itself succeeds', async () => {
    await control(stack.stripe, '/customers/update', { count: 2, silent: true });
    await ageFullRefresh();
    // The head is read before the listing; the events are refused once the first page is in (the measure's read).
    await control(stack.stripe, '/faults', { delayMs: 1500, count: 2, path: '/v1/customers' });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    await eventually(
      async () => {
        const [row] = await queryTestDb<{ pages: number }>('SELECT pages FROM sync_runs WHERE temporal_run_id = $1', [
          triggerSourceSync.runId,
        ]);
        return row?.pages === 1 ? true : undefined;
      },
      'the first page committed',
      60_000,
      50,
    );
    await control(stack.stripe, '/faults', { status: 400, count: 5, path: '/v1/events' });
    const run = await finished(triggerSourceSync.runId as string);
    await fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' });
    expect(run).toMatchObject({ mode: 'FULL_REFRESH', status: 'SUCCEEDED', recordsUpdated: 2, drift: null });
    expect(run.reason).toMatch(/^Periodic full refresh.*; drift not measured \(.+\)$/);
  }, 300_000);

  it('a fallback past the 30-day events horizon does not measure drift, and says why', async () => {
    await control(stack.stripe, '/clock', { advance: 31 * 24 * 3600 });
    await control(stack.stripe, '/customers/update', { count: 1, silent: true });
    const run = await sync();
    expect(run).toMatchObject({ mode: 'FULL_REFRESH', recordsUpdated: 1, drift: null, needsAttention: false });
    expect(run.reason).toMatch(
      /30-day events horizon.*; drift not measured \(the events since the saved position are gone\)$/,
    );
  }, 300_000);
});
