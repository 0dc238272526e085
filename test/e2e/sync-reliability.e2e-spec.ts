import { TemporalClientService } from '@app/temporal';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatsSnapshot } from '../../emulators/stripe/src';
import { ensureTemporal } from '../../scripts/lib/ensure-temporal';
import { freePort } from '../../scripts/lib/free-port';
import {
  startTemporalDevServer,
  type TemporalDevServer,
  type TemporalDevServerOptions,
} from '../../scripts/lib/temporal-dev-server';
import { queryTestDb } from '../utils/database';
import { gql } from '../utils/gql';
import { activityAttempts } from '../utils/history';
import * as op from '../utils/operations';
import {
  control,
  createStripeSource,
  emulatorCustomers,
  exactFirstSync,
  liveRecords,
  type RunNode,
  waitForRun,
} from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

// Issue 8 point 6: the reliability tests at CI size, 5,000 records each. Engine-agnostic on purpose: they
// drive GraphQL, the worker app and the emulator's control endpoints, and assert on Postgres and GraphQL
// (kill -9 and a pause racing a trigger are in cloud-sync-durability and sync-no-hang).
const CUSTOMERS = 5000;

async function recordCount(sourceIds: string[]): Promise<number> {
  const rows = await queryTestDb<{ n: string }>('SELECT count(*) AS n FROM records WHERE source_id = ANY($1)', [
    sourceIds,
  ]);
  return Number(rows[0].n);
}

async function stats(stack: SyncStack): Promise<StatsSnapshot> {
  return (await (await fetch(`${stack.stripe.url}/_emulator/stats`)).json()) as StatsSnapshot;
}

/** Every live row is the emulator's customer, byte for byte, once; and no other row exists. */
async function expectExactRows(stack: SyncStack, sourceId: string): Promise<void> {
  const expected = await emulatorCustomers(stack.stripe);
  const stored = await liveRecords(sourceId);
  expect(expected).toHaveLength(CUSTOMERS);
  expect(stored.size).toBe(CUSTOMERS);
  expect(await recordCount([sourceId])).toBe(CUSTOMERS);
  for (const customer of expected) {
    expect(stored.get(customer.id as string)).toEqual(customer);
  }
}

/** What a single full sync of 5,000 new customers must count: each read once, each inserted once. */
const EXACT_FIRST_SYNC = { ...exactFirstSync(CUSTOMERS), error: null };

// 200 one-page syncs through a worker of 8 provider slots, each listing answered in 2 s: the last ones wait
// ~40 s for their turn, longer than a sync's heartbeat timeout (30 s, the sync workflow's default; raise
// LISTING_MS if it grows), so a wait without heartbeats would time out and be retried.
const SOURCES = 200;
const SLOTS = 8;
const LISTING_MS = 2000;
const HEARTBEAT_TIMEOUT_MS = 30_000;

const seconds = (since: number): number => Math.round((Date.now() - since) / 100) / 10;

describe('sync reliability at 5,000 records', () => {
  describe('the Temporal dev server restarts mid-sync', () => {
    // Its own server, with a SQLite file: the shared one (global setup) is in memory and must not restart.
    let dir: string;
    let serverOptions: TemporalDevServerOptions;
    let temporal: TemporalDevServer | undefined;
    let stack: SyncStack;

    beforeAll(async () => {
      dir = mkdtempSync(join(process.env.TEST_TMP_DIR ?? tmpdir(), 'temporal-restart-'));
      serverOptions = {
        binary: await ensureTemporal(() => undefined),
        port: await freePort(),
        headless: true,
        dbFile: join(dir, 'temporal.db'),
        log: () => undefined,
      };
      temporal = await startTemporalDevServer(serverOptions);
      stack = await startSyncStack({ customers: CUSTOMERS, apiEnv: { TEMPORAL_ADDRESS: temporal.address } });
    }, 120_000);
    afterAll(async () => {
      await stack?.close();
      await temporal?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the run goes on after the restart and ends exact: 5,000 rows, each read and inserted once', async () => {
      const started = Date.now();
      const sourceId = await createStripeSource(stack, 'Temporal restarted');
      // 50 pages at >= 150 ms each: the sync is still running when the server goes down.
      await control(stack.stripe, '/faults', { delayMs: 150, count: 1000, path: '/v1/customers' });
      const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
      const runId = triggerSourceSync.runId as string;
      await eventually(async () => (await recordCount([sourceId])) >= 500 || undefined, '500 rows', 60_000, 50);

      await temporal!.stop();
      temporal = undefined;
      const down = Date.now();
      const atStop = await recordCount([sourceId]);
      expect(atStop).toBeGreaterThan(0);
      expect(atStop).toBeLessThan(CUSTOMERS);
      // Down long enough for the worker to notice (polls, heartbeats and completions fail meanwhile).
      await new Promise((r) => setTimeout(r, 2000));
      // The batch in flight may go on committing meanwhile: its resume point is the cursor in Postgres, and
      // only its completion needs the server (the worker keeps trying to report it).
      const whileDown = await recordCount([sourceId]);

      temporal = await startTemporalDevServer(serverOptions); // the same port, the same SQLite file
      const restartedAfter = seconds(down);
      // The api reconnects by itself: a trigger reaches the restarted server and joins the run in progress
      // (USE_EXISTING), which the server kept.
      const again = await eventually(
        async () => {
          const res = await gql(stack.api.url, op.TRIGGER_SYNC, { sourceId, object: 'customers' }, stack.token);
          return res.errors ? undefined : (res.data as { triggerSourceSync: { runId: string } }).triggerSourceSync;
        },
        'a trigger through the restarted server',
        30_000,
        250,
      );
      expect(again.runId).toBe(runId);

      // The worker reconnects by itself too: the run completes.
      const run = await waitForRun(stack, sourceId, runId, 180_000);
      console.log(
        `Temporal restart: ${atStop} rows at the stop, ${whileDown} while down, serving again after ` +
          `${restartedAfter} s; run ${run.status}, read ${run.recordsRead}, inserted ${run.recordsInserted}, ` +
          `retries ${run.retries}; test ${seconds(started)} s`,
      );
      expect(run).toMatchObject(EXACT_FIRST_SYNC);
      await expectExactRows(stack, sourceId);
    }, 300_000);
  });

  describe('on the shared Temporal server', () => {
    let stack: SyncStack;

    beforeAll(async () => {
      stack = await startSyncStack({
        customers: CUSTOMERS,
        apiEnv: {
          // The account budget must not set the pace here (20/s by default for test keys).
          STRIPE_TEST_REQUESTS_PER_SECOND: '1000',
          STRIPE_REQUEST_BURST: '100',
          // A small worker: 200 syncs at once queue for its 8 provider slots (see the 200-source test).
          WORKER_MAX_CONCURRENT_ACTIVITIES: String(SLOTS),
        },
      });
    }, 120_000);
    afterAll(() => stack?.close());
    beforeEach(async () => {
      await fetch(`${stack.stripe.url}/_emulator/faults`, { method: 'DELETE' });
      await fetch(`${stack.stripe.url}/_emulator/stats`, { method: 'DELETE' });
    });

    it('30% of the listing answers are 429 or 500: the run succeeds, exact rows and counts', async () => {
      const started = Date.now();
      const sourceId = await createStripeSource(stack, 'Flaky Stripe');
      // One draw per listing request (seeded: the same requests fail on every run): 15% get Stripe's plain
      // rate limit (429 rate_limit, no Retry-After), 15% an api_error 500.
      await control(stack.stripe, '/faults', { status: 429, rate: 0.15, count: 100_000, path: '/v1/customers' });
      await control(stack.stripe, '/faults', { status: 500, rate: 0.15, count: 100_000, path: '/v1/customers' });
      const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
      const run = await waitForRun(stack, sourceId, triggerSourceSync.runId as string, 240_000);

      const listing = (await stats(stack)).byRoute['GET /v1/customers'] ?? {};
      const failed = (listing['429'] ?? 0) + (listing['500'] ?? 0);
      const answered = failed + (listing['200'] ?? 0);
      console.log(
        `30% faults: listing answers ${JSON.stringify(listing)} (${Math.round((100 * failed) / answered)}% failed); ` +
          `run ${run.status}, read ${run.recordsRead}, inserted ${run.recordsInserted}, retries ${run.retries}; ` +
          `test ${seconds(started)} s`,
      );
      expect(run).toMatchObject(EXACT_FIRST_SYNC);
      await expectExactRows(stack, sourceId);
      // Each of the 50 pages was served exactly once: a failed request is asked again, a served one never.
      expect(listing['200']).toBe(CUSTOMERS / 100);
      // The faults did hit, both kinds, at about the rate asked.
      expect(listing['429']).toBeGreaterThanOrEqual(5);
      expect(listing['500']).toBeGreaterThanOrEqual(5);
      expect(failed / answered).toBeGreaterThan(0.2);
      expect(failed / answered).toBeLessThan(0.4);
    }, 300_000);

    it('200 sources of one page each, triggered at once: all succeed, exact, with no retry at all', async () => {
      const PER_SOURCE = CUSTOMERS / SOURCES; // 25: one page each, 5,000 records in all
      await control(stack.stripe, '/reset', { customers: PER_SOURCE });
      await control(stack.stripe, '/faults', { delayMs: LISTING_MS, count: SOURCES, path: '/v1/customers' });
      const started = Date.now();
      // Each source has its own key and Stripe account (own request budget), as 200 customers' sources would.
      const newKey = async (): Promise<string> => ((await control(stack.stripe, '/keys', {})) as { key: string }).key;
      const keys = await inBatches(Array.from({ length: SOURCES }), 20, newKey);
      const sourceIds = await inBatches(keys, 10, (key, i) => createStripeSource(stack, `Crowd ${i + 1}`, key));
      const created = seconds(started);

      const syncStarted = Date.now();
      const runIds = await Promise.all(
        sourceIds.map(async (sourceId) => {
          const { triggerSourceSync } = await stack.call(op.TRIGGER_SYNC, { sourceId, object: 'customers' });
          return triggerSourceSync.runId as string;
        }),
      );
      const triggered = seconds(syncStarted);
      // One query for all 200 (polling each through GraphQL would load the 2-core machine more than the syncs).
      await eventually(
        async () => {
          const [row] = await queryTestDb<{ done: string }>(
            "SELECT count(*) AS done FROM sync_runs WHERE source_id = ANY($1) AND status <> 'RUNNING'",
            [sourceIds],
          );
          return Number(row.done) === SOURCES || undefined;
        },
        `${SOURCES} runs to finish`,
        180_000,
        250,
      );
      const synced = seconds(syncStarted);

      const runs = await inBatches(sourceIds, 10, (sourceId, i) => waitForRun(stack, sourceId, runIds[i], 10_000));
      const expected = { ...EXACT_FIRST_SYNC, recordsRead: PER_SOURCE, recordsInserted: PER_SOURCE, retries: 0 };
      // Any other outcome, and how many runs had it (e.g. { "SUCCEEDED, read 25, …, retries 1": 57 }).
      expect(tally(runs.filter((run) => !matches(run, expected)).map(outcome))).toEqual({});
      // Not vacuous: some syncs did wait longer than a heartbeat timeout for their turn.
      const longest = Math.max(...runs.map((run) => run.durationMs ?? 0));
      expect(longest).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS + LISTING_MS);
      const perSource = await queryTestDb<{ n: string }>(
        'SELECT count(*) AS n FROM records WHERE source_id = ANY($1) AND deleted_at IS NULL GROUP BY source_id',
        [sourceIds],
      );
      expect(perSource.map((r) => Number(r.n))).toEqual(Array(SOURCES).fill(PER_SOURCE));
      expect(await recordCount(sourceIds)).toBe(CUSTOMERS);
      // One account lookup and one listing per source, none asked twice.
      const { byRoute } = await stats(stack);
      expect(byRoute['GET /v1/customers']).toEqual({ '200': SOURCES });
      expect(byRoute['GET /v1/account']).toEqual({ '200': SOURCES });

      // No activity of any of their workflows was retried (a heartbeat timeout would show as attempt 2).
      const client = stack.api.app.get(TemporalClientService).client;
      const attempts = (
        await inBatches(sourceIds, 10, async (sourceId) => {
          const all = [];
          for await (const execution of client.workflow.list({ query: `SourceId = "${sourceId}"` })) {
            const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
            all.push(...activityAttempts(history).map((a) => ({ sourceId, ...a })));
          }
          return all;
        })
      ).flat();
      expect(new Set(attempts.map((a) => a.sourceId)).size).toBe(SOURCES);
      expect(attempts.filter((a) => a.attempt !== 1)).toEqual([]);
      console.log(
        `200 sources: created in ${created} s, triggered in ${triggered} s, all ${SOURCES} runs done ` +
          `${synced} s after the first trigger (longest run ${longest / 1000} s); ${attempts.length} activities, ` +
          `none retried; test ${seconds(started)} s`,
      );
    }, 420_000);
  });
});

function outcome(run: RunNode): string {
  const counts =
    `read ${run.recordsRead}, inserted ${run.recordsInserted}, updated ${run.recordsUpdated}, ` +
    `unchanged ${run.recordsUnchanged}, deleted ${run.recordsDeleted}`;
  return `${run.status}, ${counts}, retries ${run.retries}${run.error ? `: ${run.error}` : ''}`;
}

function tally(values: string[]): Record<string, number> {
  return values.reduce<Record<string, number>>((out, value) => ({ ...out, [value]: (out[value] ?? 0) + 1 }), {});
}

function matches(run: RunNode, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([key, value]) => run[key as keyof RunNode] === value);
}

/** Maps `items` with at most `size` calls in flight at once, keeping the order. */
async function inBatches<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map((item, i) => fn(item, start + i)))));
  }
  return results;
}
