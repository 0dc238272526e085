import { DEFAULT_TOKEN } from '../../emulators/hubspot/src';
import { createHubSpotSource, hubspotControl, hubspotTruth } from '../utils/hubspot-sync';
import * as op from '../utils/operations';
import { holdNextCommit, runNode } from '../utils/run-control';
import { liveRecords, waitForRun } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

const CREATED = 3_000;
const SEARCH_PATH = '/crm/v3/objects/deals/search';

// Issue 13 point 7, for incremental runs: the search pass goes by id, so its cursor (not a position) says where
// a killed run resumes; the retry reads on from the last committed page and ends exact.
describe('HubSpot incremental sync durability', () => {
  let stack: SyncStack;
  let worker: WorkerProcess | undefined;
  const spawn = () => spawnWorker(stack.api.config, { HUBSPOT_API_BASE_URL: stack.hubspot!.url });

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 10,
      inProcessWorker: false,
      apiEnv: { SYNC_FULL_REFRESH_MINUTES: '1440' },
      hubspot: { contacts: 50, companies: 20, deals: 150, limits: false },
    });
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stack?.close();
  });

  it('survives kill -9 of the worker mid-incremental: the run completes with every change applied once', async () => {
    worker = spawn();
    await worker.ready();
    const sourceId = await createHubSpotSource(stack, 'CRM, durable', DEFAULT_TOKEN);
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 3_600_000;
    await hubspotControl(stack, '/clock', { nowMs: t0 });
    const { triggerSourceSync: first } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'deals' });
    expect(await waitForRun(stack, sourceId, first.runId as string, 120_000)).toMatchObject({
      mode: 'FULL_REFRESH',
      status: 'SUCCEEDED',
    });

    // The lowest ids modified last, longer after the new ones than the lookback: a position moved to the newest
    // change of a committed page would make the resumed pass skip the new records above it.
    await hubspotControl(stack, '/clock', { advanceMs: 600_000 });
    await hubspotControl(stack, '/objects/deals/create', { count: CREATED, createdAt: t0 + 10_000 });
    await hubspotControl(stack, '/objects/deals/update', { first: 20, set: { dealname: 'Renamed' } });
    await hubspotControl(stack, '/objects/deals/archive', {
      ids: stack.hubspot!.state.stores.deals.idList().slice(100, 105),
    });
    await hubspotControl(stack, '/clock', { advanceMs: 1_000 });
    // Slow the searches a little, so the run is still reading when the test interferes.
    await hubspotControl(stack, '/faults', { delayMs: 150, count: 40, path: SEARCH_PATH });
    const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'deals' });
    const runId = triggerSourceSync.runId as string;
    await eventually(
      async () => ((await runNode(stack, sourceId, runId))?.pages ?? 0) >= 3 || undefined,
      '3 committed pages',
    );
    // Kill the worker between reading a page and committing it: that page is surely in flight.
    const held = await holdNextCommit(sourceId);
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBeNull();
    await held.release();
    const atKill = await runNode(stack, sourceId, runId);
    expect(atKill).toMatchObject({ status: 'RUNNING', mode: 'INCREMENTAL' });
    expect(atKill!.recordsInserted).toBeLessThan(CREATED);

    worker = spawn();
    const run = await waitForRun(stack, sourceId, runId, 240_000);
    expect(run).toMatchObject({
      mode: 'INCREMENTAL',
      status: 'SUCCEEDED',
      recordsRead: CREATED + 25,
      recordsInserted: CREATED,
      recordsUpdated: 20,
      recordsDeleted: 5,
      recordsUnchanged: 0,
      retries: 1,
    });
    expect(await liveRecords(sourceId, 'deals')).toEqual(hubspotTruth(stack, 'deals'));
  }, 400_000);
});
