// `npm run bench -- shopify`: issue 14's B3 for Shopify orders (with their line items). The engine's full refresh of
// N orders against a script running the same bulk query on the same emulator (JSONL, COPY); then M orders changed and
// the engine's incremental run against a script paging the connector's change query (COPY), with the emulator's
// throttling off (the engine's budget above the load) and on at Shopify's default cost limits (the engine's shop
// budget at those limits, the script pacing itself by `extensions.cost.throttleStatus`), in one run on one machine.
// BENCH_SHOPIFY_ORDERS (default 50,000) and BENCH_SHOPIFY_CHANGED (default 2 % of them) make a quick run possible.
import { loadavg } from 'node:os';
import { type BucketLimits, SHOPIFY_BUCKET } from '../emulators/shopify/src';
import type { RequestRate } from '../libs/connectors/src/core/request-budget';
import { bulkQueryFor } from '../libs/connectors/src/shopify/shopify.bulk-queries';
import { shopifyObject } from '../libs/connectors/src/shopify/shopify.objects';
import { type Bench, type BenchContext, type MachineFacts, machineFacts, positiveFromEnv, round2 } from './lib/harness';
import { startServers } from './lib/servers';
import { POLL_INTERVAL_MS } from './shopify/bulk-baseline';
import { runFullRefreshCase, runIncrementalCase, type ShopifyB3Case } from './shopify/cases';
import type { ChangesBaselineResult } from './shopify/changes-baseline';
import { createShopifySource, resetShop, SHOPIFY_EMULATOR } from './shopify/shop';
import { NOTES, SIDES } from './shopify/sides';
import { liveSources } from './sync/b3';
import { servedUpTo, startSyncStack, type SyncStack } from './sync/stack';

const WARM_UP = { orders: 300, changed: 30 };
/** Throttling off: the shop budget far above the load, so the cases measure the engine. */
const UNBOUNDED: RequestRate = { perSecond: 100_000, burst: 1_000_000 };
/** Throttling on: the engine's shop budget at the emulator's (Shopify's Standard plan) bucket. */
const STANDARD: RequestRate = { perSecond: SHOPIFY_BUCKET.restoreRate, burst: SHOPIFY_BUCKET.maximumAvailable };

export interface ShopifyBenchResult {
  bench: 'shopify';
  date: string;
  machine: MachineFacts;
  node: string;
  temporalCli: string;
  sizes: { orders: number; changed: number; changesPageSize: number; bulkPollIntervalMs: number };
  /** The bulk query both full-refresh sides run (bulkQueryFor('orders')). */
  bulkQuery: string;
  sides: Record<string, string>;
  cases: ShopifyB3Case[];
  notes: string[];
  durationSeconds: number;
}

export const shopifyBench: Bench<ShopifyBenchResult> = {
  name: 'shopify',
  description:
    'B3 for Shopify orders: full refresh vs a bulk-query script, incremental vs a paging script, throttling off and on',
  timeLimitMs: 60 * 60_000,
  run,
};

async function run(ctx: BenchContext): Promise<ShopifyBenchResult> {
  const started = Date.now();
  const date = new Date().toISOString();
  const loadAverageAtStart = loadavg().map(round2);
  const orders = positiveFromEnv('BENCH_SHOPIFY_ORDERS', 50_000);
  const changed = positiveFromEnv('BENCH_SHOPIFY_CHANGED', Math.max(1, Math.round(orders * 0.02)));
  if (changed > orders) {
    throw new Error(`BENCH_SHOPIFY_CHANGED (${changed}) must not exceed the orders (${orders})`);
  }
  ctx.log(`orders ${orders}, changed ${changed}, load average ${loadAverageAtStart.join(' ')}`);
  ctx.step('starting PostgreSQL and the Temporal dev server');
  const servers = await startServers(ctx);
  const stack = await startSyncStack(ctx, servers, {
    emulator: SHOPIFY_EMULATOR,
    // A day between full refreshes (the stack's default is every run), so runs after the first are incremental.
    env: { ...budgetEnv(UNBOUNDED), SYNC_FULL_REFRESH_MINUTES: '1440' },
  });

  ctx.step('warming up both sides (discarded)');
  const warmUpSource = await newShop(stack, 'warm-up', WARM_UP.orders);
  await runFullRefreshCase(ctx, stack, warmUpSource, { name: 'warm-up', target: 0, engineBudget: UNBOUNDED });
  await runIncrementalCase(ctx, stack, warmUpSource, {
    name: 'warm-up',
    target: 0,
    engineBudget: UNBOUNDED,
    changed: WARM_UP.changed,
    limits: null,
    marker: 'bench warm-up',
  });

  const sourceId = await newShop(stack, 'orders', orders);
  const cases = [
    await runFullRefreshCase(ctx, stack, sourceId, {
      name: 'B3 orders full refresh, throttling off',
      target: 0.7,
      engineBudget: UNBOUNDED,
    }),
    await runIncrementalCase(ctx, stack, sourceId, {
      name: 'B3 orders incremental, throttling off',
      target: 0.5,
      engineBudget: UNBOUNDED,
      changed,
      limits: null,
      marker: 'bench round 1',
    }),
  ];
  // The budget is process config: the throttled case gets a worker set to the shop's plan.
  await stack.restartWorker(ctx, budgetEnv(STANDARD));
  await servedUpTo(stack, await liveSources(stack));
  cases.push(
    await runIncrementalCase(ctx, stack, sourceId, {
      name: throttledName(SHOPIFY_BUCKET),
      target: 0.9,
      engineBudget: STANDARD,
      // The same orders as round 1: their new versions replace the ones the lookback would otherwise read again.
      changed,
      limits: SHOPIFY_BUCKET,
      marker: 'bench round 2',
    }),
  );
  return {
    bench: 'shopify',
    date,
    machine: machineFacts(loadAverageAtStart),
    node: process.version,
    temporalCli: servers.temporalCli,
    sizes: {
      orders,
      changed,
      changesPageSize: shopifyObject('orders').pageSize,
      bulkPollIntervalMs: POLL_INTERVAL_MS,
    },
    bulkQuery: bulkQueryFor('orders'),
    sides: SIDES,
    cases,
    notes: [...NOTES, ...throttleNotes(cases)],
    durationSeconds: round2((Date.now() - started) / 1000),
  };
}

/** The emulator reset with `orders`, no records left from earlier cases, and a new source the worker serves. */
async function newShop(stack: SyncStack, name: string, orders: number): Promise<string> {
  await resetShop(stack, orders);
  await stack.db.query('TRUNCATE records');
  const sourceId = await createShopifySource(stack, `bench ${name}`);
  await servedUpTo(stack, await liveSources(stack));
  return sourceId;
}

function throttledName(limits: BucketLimits): string {
  return `B3 orders incremental, throttling on (${limits.maximumAvailable} points, ${limits.restoreRate}/s)`;
}

function budgetEnv(rate: RequestRate): Record<string, string> {
  return { SHOPIFY_COST_POINTS_PER_SECOND: String(rate.perSecond), SHOPIFY_COST_BUCKET_POINTS: String(rate.burst) };
}

/**
 * Whether the limits bound either side at all (at a small size the bucket's 2,000 points may cover the case), and
 * what Shopify charged against what the queries asked for: the bucket takes the requested cost up front and gives
 * back the unused part, so a client pacing by throttleStatus spends the actual cost.
 */
function throttleNotes(cases: ShopifyB3Case[]): string[] {
  return cases.flatMap((c) => {
    // Only incremental cases run throttled, so their baseline is the paging script.
    if (c.emulatorLimits === null || !('pacingSeconds' in c.baseline)) {
      return [];
    }
    const b: ChangesBaselineResult = c.baseline;
    const paced = b.pacingSeconds > 0;
    const perQuery = (points: number) => Math.round(points / b.requests);
    return [
      `"${c.name}": the script ${paced ? `waited ${b.pacingSeconds} s` : 'never had to wait'} to stay within the ` +
        `bucket and was answered THROTTLED ${b.throttled} times; the engine's run counted ${c.engine.retries} ` +
        `retries. Its ${b.requests} queries requested ${perQuery(b.pointsRequested)} points each on average and ` +
        `were charged ${perQuery(b.pointsCharged)} (actualQueryCost: orders have fewer line items than the 10 ` +
        'asked for); at the same restore rate a budget taking the requested cost and giving none back can send ' +
        `a query every ${round2(b.pointsRequested / b.requests / c.emulatorLimits.restoreRate)} s where the ` +
        `bucket allows one every ${round2(b.pointsCharged / b.requests / c.emulatorLimits.restoreRate)} s.` +
        (paced ? '' : ' The bucket covered the whole case here, so the limits did not bind.'),
    ];
  });
}
