import { type SourceSyncResult, makeSourceScheduleId } from '@app/temporal';
import { Client, Connection, ScheduleNotFoundError, WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundlerOptions } from '../../apps/worker/src/temporal/workflow-bundle';
import { exportHistory } from '../utils/export-history';
import { SourceSchedulesReconciler } from '../../libs/sources/src/schedules/source-schedules.reconciler';
import { queryTestDb } from '../utils/database';
import { gql } from '../utils/gql';
import { readableText } from '../utils/history';
import * as op from '../utils/operations';
import { RESTORE_SOURCE } from '../utils/source-lifecycle';
import { control, createStripeSource, waitForRun } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { testTemporalAddress } from '../utils/temporal';

// Issue 9 point 4: each cloud-app source's Temporal Schedule and its source-level sync `sync:<id>`, which
// runs every object as the child `sync:<id>:<object>`. Nothing waits for a schedule to fire: runs start
// through syncSourceNow (the schedule's trigger), and the default schedule's first run is an hour away.
const SCHEDULE = `query($id: ID!) { source(id: $id) { id schedule {
  scheduleId intervalMinutes cron jitterSeconds paused registered nextRunTimes temporalUrl running { workflowId runId }
} } }`;
const UPDATE = `mutation($sourceId: ID!, $input: UpdateSyncScheduleInput!) {
  updateSyncSchedule(sourceId: $sourceId, input: $input) { intervalMinutes cron paused nextRunTimes }
}`;
const SYNC_NOW = `mutation($sourceId: ID!) { syncSourceNow(sourceId: $sourceId) { workflowId runId alreadyRunning temporalUrl } }`;

// The source-level sync, recorded from today's code (RECORD_WORKFLOW_FIXTURES=1 records it again): later
// changes to the workflow must keep replaying it (or use patched()).
const FIXTURE = join(
  __dirname,
  '..',
  '..',
  'libs',
  'sync',
  'src',
  'workflows',
  '__fixtures__',
  'sync-source.history.json',
);

interface SyncNow {
  workflowId: string;
  runId: string;
  alreadyRunning: boolean;
}

describe('source schedules', () => {
  let stack: SyncStack;
  let client: Client;
  // The run of the "manual first" case: it both waited for a sync and ran children.
  let joinedParent: SyncNow | undefined;

  beforeAll(async () => {
    stack = await startSyncStack({ customers: 250 });
    client = new Client({ connection: await Connection.connect({ address: testTemporalAddress() }) });
  }, 120_000);
  // The emulator's close waits out idle keep-alive sockets of cancelled syncs (about 70 s).
  afterAll(async () => {
    await client?.connection.close();
    await stack?.close();
  }, 120_000);
  afterEach(() => control(stack.stripe, '/latency', { ms: 0 }));

  const describeSchedule = (sourceId: string) => client.schedule.getHandle(makeSourceScheduleId(sourceId)).describe();
  const syncNow = async (sourceId: string): Promise<SyncNow> =>
    (await stack.call(SYNC_NOW, { sourceId })).syncSourceNow as SyncNow;
  const parentResult = (run: SyncNow) =>
    client.workflow.getHandle(run.workflowId, run.runId).result() as Promise<SourceSyncResult>;
  // Waits until the object's sync runs (started by whoever) and returns its first run id.
  const runningChild = (sourceId: string, object: string) =>
    eventually(async () => {
      const d = await client.workflow
        .getHandle(`sync:${sourceId}:${object}`)
        .describe()
        .catch(() => undefined);
      return d?.status.name === 'RUNNING' ? d : undefined;
    }, `${object} sync running`);

  it('creates the schedule with the source: hourly, SKIP, one interval of catch-up, jitter, search attributes', async () => {
    const before = Date.now();
    const sourceId = await createStripeSource(stack, 'Scheduled');
    const d = await describeSchedule(sourceId);
    expect(d.spec.intervals).toEqual([{ every: 3_600_000, offset: expect.any(Number) }]);
    expect(d.spec.jitter).toBe(300_000);
    expect(d.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: false });
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'syncSource',
      workflowId: `sync:${sourceId}`,
      taskQueue: 'tributary-workflows',
      args: [{ sourceId, queueWaitMs: expect.any(Number) }],
    });
    const wanted = { SourceId: [sourceId], SourceKind: ['STRIPE'], WorkspaceId: [expect.any(String)] };
    expect(d.searchAttributes).toMatchObject(wanted);
    expect((d.action as { searchAttributes?: unknown }).searchAttributes).toMatchObject(wanted);
    expect(d.state.paused).toBe(false);
    // Never at once: the first run comes one interval after creation at the earliest.
    expect(d.info.nextActionTimes[0].getTime()).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    expect(d.info.numActionsTaken).toBe(0);

    const { source } = await stack.call(SCHEDULE, { id: sourceId });
    expect(source.schedule).toMatchObject({
      scheduleId: `schedule:${sourceId}`,
      intervalMinutes: 60,
      cron: null,
      jitterSeconds: 300,
      paused: false,
      registered: true,
      running: null,
      temporalUrl: `http://127.0.0.1:8233/namespaces/default/schedules/${encodeURIComponent(`schedule:${sourceId}`)}`,
    });
    expect(source.schedule.nextRunTimes.length).toBeGreaterThan(0);
  });

  it('updates the spec (interval or cron), refuses bad input with a reason and changes nothing then', async () => {
    const sourceId = await createStripeSource(stack, 'Update me');
    const every15 = await stack.call(UPDATE, { sourceId, input: { intervalMinutes: 15 } });
    expect(every15.updateSyncSchedule).toMatchObject({ intervalMinutes: 15, cron: null, paused: false });
    expect((await describeSchedule(sourceId)).spec.intervals).toEqual([{ every: 900_000, offset: expect.any(Number) }]);
    expect((await describeSchedule(sourceId)).policies.catchupWindow).toBe(900_000);

    const daily = (await stack.call(UPDATE, { sourceId, input: { cron: '0 3 * * *' } })).updateSyncSchedule;
    expect(daily).toMatchObject({ intervalMinutes: null, cron: '0 3 * * *' });
    for (const at of daily.nextRunTimes as string[]) {
      const t = new Date(at);
      // 03:00 UTC plus at most the 5-minute jitter.
      expect([t.getUTCHours(), t.getUTCMinutes() < 5]).toEqual([3, true]);
    }
    expect((await describeSchedule(sourceId)).policies.catchupWindow).toBe(86_400_000);

    for (const [input, reason, message] of [
      [{ intervalMinutes: 0 }, 'INTERVAL_OUT_OF_RANGE', /from 1 to 1440/],
      [{ intervalMinutes: 1441 }, 'INTERVAL_OUT_OF_RANGE', /from 1 to 1440/],
      [{ cron: '0 3 * *' }, 'INVALID_CRON', /has 4 fields; write five fields in UTC/],
      [{ cron: '0 25 * * *' }, 'INVALID_CRON', /hour field "25"/],
      [{}, 'ONE_OF_INTERVAL_OR_CRON', /exactly one of intervalMinutes/],
      [{ intervalMinutes: 5, cron: '* * * * *' }, 'ONE_OF_INTERVAL_OR_CRON', /exactly one/],
    ] as const) {
      const res = await gql(stack.api.url, UPDATE, { sourceId, input }, stack.token);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
      expect(res.errors?.[0].message).toMatch(message);
    }
    const { source } = await stack.call(SCHEDULE, { id: sourceId });
    expect(source.schedule).toMatchObject({ intervalMinutes: null, cron: '0 3 * * *' });

    const web = await stack.call(op.CREATE_SOURCE, {
      input: { name: 'web', kind: 'JAVASCRIPT', environment: 'PRODUCTION' },
    });
    const res = await gql(
      stack.api.url,
      UPDATE,
      { sourceId: web.createSource.id, input: { intervalMinutes: 5 } },
      stack.token,
    );
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: /event-stream source/ });
    expect((await stack.call(SCHEDULE, { id: web.createSource.id })).source.schedule).toBeNull();
  });

  it('pauses and unpauses with the source, is deleted with it and comes back paused on restore', async () => {
    const sourceId = await createStripeSource(stack, 'Lifecycle');
    await stack.call(op.PAUSE_SOURCE, { id: sourceId });
    expect((await describeSchedule(sourceId)).state.paused).toBe(true);
    expect((await stack.call(SCHEDULE, { id: sourceId })).source.schedule).toMatchObject({
      paused: true,
      nextRunTimes: [],
    });
    const refused = await gql(stack.api.url, SYNC_NOW, { sourceId }, stack.token);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: /PAUSED; resume it/ });

    await stack.call(op.RESUME_SOURCE, { id: sourceId });
    expect((await describeSchedule(sourceId)).state.paused).toBe(false);

    await stack.call(op.DELETE_SOURCE, { id: sourceId });
    await expect(describeSchedule(sourceId)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    await stack.call(RESTORE_SOURCE, { id: sourceId });
    expect((await describeSchedule(sourceId)).state.paused).toBe(true);
  });

  it('re-creates a schedule Temporal lost from what the database stores', async () => {
    const sourceId = await createStripeSource(stack, 'Lost');
    await stack.call(UPDATE, { sourceId, input: { intervalMinutes: 30 } });
    await client.schedule.getHandle(makeSourceScheduleId(sourceId)).delete();
    expect((await stack.call(SCHEDULE, { id: sourceId })).source.schedule).toMatchObject({ registered: false });
    await stack.call(op.PAUSE_SOURCE, { id: sourceId });
    const d = await describeSchedule(sourceId);
    expect([d.state.paused, d.spec.intervals?.[0].every]).toEqual([true, 1_800_000]);
  });

  it('at api boot, sources from before schedules get the default one (the api checks every live cloud source)', async () => {
    const sourceId = await createStripeSource(stack, 'From before');
    // As a row from before this change: the migration set its interval; Temporal has no schedule yet.
    await client.schedule.getHandle(makeSourceScheduleId(sourceId)).delete();
    await queryTestDb('UPDATE sources SET sync_interval_minutes = 60, sync_cron = NULL WHERE id = $1', [sourceId]);
    expect(await stack.api.app.get(SourceSchedulesReconciler, { strict: false }).ensureAll()).toBe(1);
    const d = await describeSchedule(sourceId);
    expect([d.state.paused, d.spec.intervals?.[0].every, d.action.workflowId]).toEqual([
      false,
      3_600_000,
      `sync:${sourceId}`,
    ]);
    expect(await stack.api.app.get(SourceSchedulesReconciler, { strict: false }).ensureAll()).toBe(0);
  });

  it('syncSourceNow runs every object as a child of sync:<id>, and answers the run in progress meanwhile', async () => {
    const sourceId = await createStripeSource(stack, 'Sync now');
    await control(stack.stripe, '/latency', { ms: 400 });
    const first = await syncNow(sourceId);
    expect(first).toMatchObject({ workflowId: expect.stringMatching(`^sync:${sourceId}-`), alreadyRunning: false });
    const again = await syncNow(sourceId);
    expect(again).toEqual({ ...first, alreadyRunning: true, temporalUrl: expect.any(String) });
    // Temporal's own overlap policy holds too: a SKIP trigger while it runs starts nothing.
    await client.schedule.getHandle(makeSourceScheduleId(sourceId)).trigger('SKIP');
    await control(stack.stripe, '/latency', { ms: 0 });

    const result = await parentResult(first);
    const objects = ['customers', 'subscriptions', 'invoices', 'charges', 'trials'];
    expect(result.objects.map((o) => [o.object, o.outcome, o.joined]).sort()).toEqual(
      objects.map((o) => [o, 'SUCCEEDED', false]).sort(),
    );
    for (const o of result.objects) {
      expect(o.workflowId).toBe(`sync:${sourceId}:${o.object}`);
      const child = await client.workflow.getHandle(o.workflowId, o.runId).describe();
      expect(child.parentExecution).toEqual({ workflowId: first.workflowId, runId: first.runId });
      expect(child.searchAttributes).toMatchObject({
        SourceId: [sourceId],
        SourceKind: ['STRIPE'],
        SyncObject: [o.object],
      });
      expect((await waitForRun(stack, sourceId, o.runId)).status).toBe('SUCCEEDED');
    }
    const d = await describeSchedule(sourceId);
    expect(d.info.recentActions).toHaveLength(1);
    expect(d.info.runningActions).toEqual([]);
  }, 120_000);

  it('a manual sync running first is waited for, not started twice', async () => {
    const sourceId = await createStripeSource(stack, 'Manual first');
    await control(stack.stripe, '/latency', { ms: 400 });
    const manual = (await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' })).triggerSourceSync;
    const parent = await syncNow(sourceId);
    await control(stack.stripe, '/latency', { ms: 0 });
    const customers = (await parentResult(parent)).objects.find((o) => o.object === 'customers');
    expect(customers).toMatchObject({ runId: manual.runId, outcome: 'SUCCEEDED', joined: true });
    joinedParent = parent;
    const runs = (await stack.call(op.SYNC_RUNS, { sourceId, first: 50 })).syncRuns.edges.map((e: any) => e.node);
    expect(runs.filter((r: { object: string }) => r.object === 'customers')).toHaveLength(1);
  }, 120_000);

  it('a manual trigger while the schedule runs the object returns the child’s run (USE_EXISTING)', async () => {
    const sourceId = await createStripeSource(stack, 'Schedule first');
    // Slow enough that the child is still running when the poll looks (at 400 ms a loaded CI run saw it
    // finish first, and waited for RUNNING in vain); the latency goes back to 0 right after the trigger.
    await control(stack.stripe, '/latency', { ms: 2000 });
    const parent = await syncNow(sourceId);
    const child = await runningChild(sourceId, 'customers');
    const manual = (await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' })).triggerSourceSync;
    expect(manual.runId).toBe(child.runId);
    await control(stack.stripe, '/latency', { ms: 0 });
    const customers = (await parentResult(parent)).objects.find((o) => o.object === 'customers');
    expect(customers).toMatchObject({ runId: child.runId, outcome: 'SUCCEEDED', joined: false });
  }, 120_000);

  it('cancelling the source-level sync cancels its children', async () => {
    const sourceId = await createStripeSource(stack, 'Cancel parent');
    await control(stack.stripe, '/latency', { ms: 1000 });
    const parent = await syncNow(sourceId);
    const child = await runningChild(sourceId, 'customers');
    await client.workflow.getHandle(parent.workflowId, parent.runId).cancel();
    const failure = await parentResult(parent).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
    const run = await waitForRun(stack, sourceId, child.runId);
    expect(run.status).toBe('CANCELLED');
    const after = await client.workflow.getHandle(`sync:${sourceId}:customers`, child.runId).describe();
    expect(after.status.name).toBe('CANCELLED');
    for (const object of ['subscriptions', 'invoices', 'charges', 'trials']) {
      const closed = await eventually(async () => {
        const d = await client.workflow.getHandle(`sync:${sourceId}:${object}`).describe();
        return d.status.name === 'RUNNING' ? undefined : d.status.name;
      }, `${object} sync closed`);
      expect(['CANCELLED', 'COMPLETED']).toContain(closed);
    }
  }, 120_000);

  it('pausing the source cancels a running source-level sync (CANCELLED, not failed) and its children', async () => {
    const sourceId = await createStripeSource(stack, 'Pause while running');
    await control(stack.stripe, '/latency', { ms: 1000 });
    const parent = await syncNow(sourceId);
    const child = await runningChild(sourceId, 'customers');
    await stack.call(op.PAUSE_SOURCE, { id: sourceId });
    const failure = await parentResult(parent).catch((e: unknown) => e);
    expect((failure as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
    expect((await waitForRun(stack, sourceId, child.runId)).status).toBe('CANCELLED');
  }, 120_000);

  it('a source-level sync that ends otherwise (terminated) asks its children to cancel (REQUEST_CANCEL)', async () => {
    const sourceId = await createStripeSource(stack, 'Terminate parent');
    await control(stack.stripe, '/latency', { ms: 1000 });
    const parent = await syncNow(sourceId);
    const child = await runningChild(sourceId, 'customers');
    await client.workflow.getHandle(parent.workflowId, parent.runId).terminate('test');
    expect((await waitForRun(stack, sourceId, child.runId)).status).toBe('CANCELLED');
  }, 120_000);

  it('the source-level sync replays its recorded history (determinism)', async () => {
    expect(joinedParent).toBeDefined();
    if (process.env.RECORD_WORKFLOW_FIXTURES === '1' || !existsSync(FIXTURE)) {
      writeFileSync(FIXTURE, await exportHistory(joinedParent!.workflowId, joinedParent!.runId));
    }
    const options = {
      workflowsPath: require.resolve('../../apps/worker/src/workflows'),
      bundlerOptions: workflowBundlerOptions(),
    };
    const history = await client.workflow.getHandle(joinedParent!.workflowId, joinedParent!.runId).fetchHistory();
    // Ids, object names and counts only: the source's key never crosses into Temporal.
    expect(readableText(history).join('\n')).not.toContain('sk_test_tributary');
    for (const [h, id] of [
      [history, 'this run'],
      [JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown, 'committed fixture'],
    ] as const) {
      await expect(Worker.runReplayHistory(options, h, id)).resolves.toBeUndefined();
    }
  }, 120_000);
});
