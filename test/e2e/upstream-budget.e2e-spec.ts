import {
  SYNC_WORKFLOW,
  type SyncWorkflowInput,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  makeSyncWorkflowId,
} from '@app/temporal';
import type { StatsSnapshot } from '../../emulators/stripe/src';
import { control, createStripeSource, type RunNode, waitForRun } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

const CUSTOMERS = 1500; // 15 pages per sync
const PAGES = CUSTOMERS / 100;
// Low on purpose: the budget, not the machine, must set the pace even on a loaded CI machine (two sources
// unbudgeted send well over 3 requests a second there).
const RATE = 2;
const BURST = 1;
// Requests a sliding one-second window of arrivals may hold beyond the budget (see the assertion).
const ARRIVAL_JITTER = 1;

interface Timed {
  run: RunNode;
  seconds: number;
}

async function stats(stack: SyncStack): Promise<StatsSnapshot> {
  return (await (await fetch(`${stack.stripe.url}/_emulator/stats`)).json()) as StatsSnapshot;
}

/** Worker identities that ran the activities of a sync (Temporal records who started each one). */
async function activityWorkers(stack: SyncStack, run: RunNode): Promise<Set<string>> {
  const client = stack.api.app.get(TemporalClientService).client;
  const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
  return new Set(
    (history.events ?? [])
      .map((event) => event.activityTaskStartedEventAttributes?.identity)
      .filter((identity): identity is string => typeof identity === 'string'),
  );
}

describe('upstream rate budget: one per provider account, shared by every worker process', () => {
  let stack: SyncStack;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    stack = await startSyncStack({ customers: CUSTOMERS, inProcessWorker: false });
    const env = {
      STRIPE_API_BASE_URL: stack.stripe.url,
      STRIPE_TEST_REQUESTS_PER_SECOND: String(RATE),
      STRIPE_REQUEST_BURST: String(BURST),
    };
    workers.push(spawnWorker(stack.api.config, env), spawnWorker(stack.api.config, env));
    await Promise.all(workers.map((worker) => worker.ready()));
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await stack?.close();
  });

  it('two sources of one account, synced at once by two workers, never exceed it; another account is not slowed', async () => {
    const shared = (await control(stack.stripe, '/keys', {})) as { key: string; account: string };
    const sibling = (await control(stack.stripe, '/keys', { account: shared.account })) as { key: string };
    const other = (await control(stack.stripe, '/keys', {})) as { key: string; account: string };
    const sources = {
      first: await createStripeSource(stack, 'Shared account 1', shared.key),
      second: await createStripeSource(stack, 'Shared account 2', sibling.key),
      alone: await createStripeSource(stack, 'Other account', other.key),
    };
    await fetch(`${stack.stripe.url}/_emulator/stats`, { method: 'DELETE' });

    const started = Date.now();
    const client = stack.api.app.get(TemporalClientService).client;
    const runs = await Promise.all(
      Object.values(sources).map(async (sourceId): Promise<Timed> => {
        // One page per activity, so that both worker processes take turns on each source's pages (a real
        // sync reads up to 200 pages in one activity, which one process would run alone).
        const input: SyncWorkflowInput = { sourceId, object: 'customers', mode: 'FULL_REFRESH', pagesPerBatch: 1 };
        const handle = await client.workflow.start(SYNC_WORKFLOW, {
          taskQueue: WORKFLOW_TASK_QUEUE,
          workflowId: makeSyncWorkflowId(sourceId, 'customers'),
          args: [input],
        });
        const run = await waitForRun(stack, sourceId, handle.firstExecutionRunId, 60_000);
        return { run, seconds: (Date.now() - started) / 1000 };
      }),
    );
    const [first, second, alone] = runs;
    for (const { run } of runs) {
      expect(run).toMatchObject({ status: 'SUCCEEDED', recordsInserted: CUSTOMERS, pages: PAGES });
    }

    const { byAccount, byRoute } = await stats(stack);
    console.log(
      `budget ${RATE}/s + ${BURST}: shared account ${JSON.stringify(byAccount[shared.account])} in ` +
        `${first.seconds}/${second.seconds} s, other ${JSON.stringify(byAccount[other.account])} in ${alone.seconds} s`,
    );
    // Every request of both sources counted against the one account: 2 × 15 pages + 2 account lookups + 2
    // reads of the newest event (a full refresh records it before listing).
    expect(byAccount[shared.account].total).toBe(2 * PAGES + 2 + 2);
    // The emulator sees arrivals, not takes: on a loaded machine a request taken late in one second can
    // arrive in the next, next to that second's own (one more in a sliding window). The rate itself is
    // proven by the duration floor below, which no such jitter can satisfy by accident.
    expect(byAccount[shared.account].peakPerSecond).toBeLessThanOrEqual(RATE + BURST + ARRIVAL_JITTER);
    expect(byAccount[other.account]).toEqual({ total: PAGES + 1 + 1, peakPerSecond: expect.any(Number) });
    expect(byAccount[other.account].peakPerSecond).toBeLessThanOrEqual(RATE + BURST + ARRIVAL_JITTER);
    // The account is looked up once per source (cached), not before every page.
    expect(byRoute['GET /v1/account']).toEqual({ '200': 3 });
    // The shared account's 34 requests take at least (34 - burst) / rate seconds; the other account's 17
    // go at its own pace, in about half that (sharing the budget would have made it last longer still).
    const sharedFloor = (2 * PAGES + 2 + 2 - BURST) / RATE;
    expect(Math.min(first.seconds, second.seconds)).toBeGreaterThanOrEqual(sharedFloor * 0.9);
    expect(alone.seconds).toBeLessThan(sharedFloor * 0.75);
    // Both worker processes did the shared account's work.
    const identities = new Set([
      ...(await activityWorkers(stack, first.run)),
      ...(await activityWorkers(stack, second.run)),
    ]);
    expect(identities.size).toBe(2);
  }, 120_000);
});
