import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import {
  control,
  createStripeSource,
  emulatorCustomers,
  liveRecords,
  servedQueueRows,
  servedWithin,
  syncAndWait,
  waitForRun,
} from '../utils/stripe-sync';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';

describe('Stripe customers sync, end to end', () => {
  let stack: SyncStack;

  beforeAll(async () => {
    stack = await startSyncStack({ customers: 250, restrictedKeys: ['rk_test_restricted000001'] });
  });
  afterAll(() => stack?.close());

  it('syncs every customer exactly, then a re-run changes nothing', async () => {
    const sourceId = await createStripeSource(stack, 'Billing');
    expect((await stack.call(op.CHECK_CONNECTION, { id: sourceId })).checkSourceConnection).toEqual({
      ok: true,
      message: 'Connected: the credentials work',
      providerCode: null,
    });

    const first = await syncAndWait(stack, sourceId);
    expect(first).toMatchObject({
      status: 'SUCCEEDED',
      recordsRead: 250,
      recordsInserted: 250,
      recordsUpdated: 0,
      recordsDeleted: 0,
      error: null,
    });
    expect(first.temporalUrl).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(first.workflowId)}/${first.runId}/history`,
    );
    const expected = await emulatorCustomers(stack.stripe);
    const stored = await liveRecords(sourceId);
    expect(stored.size).toBe(250);
    for (const customer of expected) {
      expect(stored.get(customer.id as string)).toEqual(customer);
    }

    const second = await syncAndWait(stack, sourceId);
    expect(second).toMatchObject({
      status: 'SUCCEEDED',
      recordsRead: 250,
      recordsInserted: 0,
      recordsUpdated: 0,
      recordsUnchanged: 250,
      recordsDeleted: 0,
    });
  });

  it('counts updates and deletions made at Stripe on the next run', async () => {
    const sourceId = await createStripeSource(stack, 'Billing changes');
    await syncAndWait(stack, sourceId);
    const all = await emulatorCustomers(stack.stripe);
    await control(stack.stripe, '/customers/update', { ids: all.slice(0, 7).map((c) => c.id) });
    await control(stack.stripe, '/customers/delete', { ids: all.slice(10, 13).map((c) => c.id) });
    const run = await syncAndWait(stack, sourceId);
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      recordsRead: 247,
      recordsInserted: 0,
      recordsUpdated: 7,
      recordsUnchanged: 240,
      recordsDeleted: 3,
    });
    const stored = await liveRecords(sourceId);
    const now = await emulatorCustomers(stack.stripe);
    expect([...stored.keys()].sort()).toEqual(now.map((c) => c.id).sort());
    expect(stored.get(all[0].id as string)).toEqual(now.find((c) => c.id === all[0].id));
  });

  it('rides out two 429s and a 500 and stays exact', async () => {
    const sourceId = await createStripeSource(stack, 'Billing faults');
    await control(stack.stripe, '/faults', { status: 429, count: 2 });
    await control(stack.stripe, '/faults', { status: 500, count: 1 });
    const run = await syncAndWait(stack, sourceId);
    const customers = await emulatorCustomers(stack.stripe);
    expect(run).toMatchObject({ status: 'SUCCEEDED', recordsInserted: customers.length, recordsDeleted: 0 });
    expect(run.retries).toBe(3);
    expect((await liveRecords(sourceId)).size).toBe(customers.length);
  });

  it.each([
    ['an invalid key', 'sk_live_notavalidkey0000', /Stripe rejected the secret key \(401\)/],
    ['a restricted key', 'rk_test_restricted000001', /lacks permission/],
  ])('fails fast with %s and says what to fix', async (_label, key, message) => {
    const sourceId = await createStripeSource(stack, `Billing ${key}`, key);
    const started = Date.now();
    const run = await syncAndWait(stack, sourceId);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(message);
    expect(run.error).not.toContain(key.slice(-6));
    expect(run.retries).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    const check = (await stack.call(op.CHECK_CONNECTION, { id: sourceId })).checkSourceConnection;
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(message);
  });

  it('stops serving a paused source within 5 s and serves it again on resume', async () => {
    const sourceId = await createStripeSource(stack, 'Billing pause');
    await stack.call(op.PAUSE_SOURCE, { id: sourceId });
    expect(await servedWithin(stack, sourceId, false, 5000)).toBeLessThan(5000);
    const check = (await stack.call(op.CHECK_CONNECTION, { id: sourceId })).checkSourceConnection;
    expect(check).toMatchObject({ ok: false, message: expect.stringContaining('Source is PAUSED') });
    const trigger = await gql(stack.api.url, op.TRIGGER_SYNC, { sourceId, object: 'customers' }, stack.token);
    expect(trigger.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringContaining('resume it'),
    });
    await stack.call(op.RESUME_SOURCE, { id: sourceId });
    expect(await servedWithin(stack, sourceId, true, 5000)).toBeLessThan(5000);
    await stack.call(op.DELETE_SOURCE, { id: sourceId });
    // A deleted source is NOT_FOUND in GraphQL: look at the worker's own record of what it serves.
    await eventually(
      async () => ((await servedQueueRows(sourceId)) === 0 ? true : undefined),
      'queue released',
      5000,
      100,
    );
  });

  it('pausing a source first cancels its running sync', async () => {
    const sourceId = await createStripeSource(stack, 'Billing paused mid-sync');
    await control(stack.stripe, '/faults', { delayMs: 300, count: 20 });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
    await stack.call(op.PAUSE_SOURCE, { id: sourceId });
    const run = await waitForRun(stack, sourceId, triggerSourceSync.runId as string);
    expect(run.status).toBe('CANCELLED');
    expect((await liveRecords(sourceId)).size).toBe(run.recordsInserted);
    await fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' });
  });
});
