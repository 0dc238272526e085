// Shopify's B3 cases for orders: the engine's full refresh against the bulk baseline, and its incremental run against
// the change-query baseline, on the same emulator, shop, limits and Postgres, in the same run. Each case checks both
// sides hold the same orders (and line items) before it reports a ratio.
import { loadavg } from 'node:os';
import type { BucketLimits } from '../../emulators/shopify/src';
import type { RequestRate } from '../../libs/connectors/src/core/request-budget';
import { type BenchContext, type RatioCase, round2 } from '../lib/harness';
import { round3 } from '../sync/b3';
import { BASELINE_TABLE, recreateBaselineTable } from '../sync/baseline';
import type { SyncStack } from '../sync/stack';
import { type BulkBaselineResult, runBulkBaseline } from './bulk-baseline';
import { type ChangesBaselineResult, runChangesBaseline } from './changes-baseline';
import { baselineClient, CostPace } from './client';
import {
  changeOrders,
  emulatorIds,
  engineRun,
  freshSide,
  ordersToChange,
  savedPosition,
  type ShopifyEngineRun,
} from './shop';

export interface ShopifyB3Case extends RatioCase {
  higherIsBetter: true;
  /** Orders read by each side (all of them, or the ones changed), and their line items. */
  records: { orders: number; lineItems: number };
  /** The emulator's cost bucket during the case; null when its throttling is off. */
  emulatorLimits: BucketLimits | null;
  /** The engine's per-shop budget (SHOPIFY_COST_POINTS_PER_SECOND, SHOPIFY_COST_BUCKET_POINTS). */
  engineBudget: RequestRate;
  /** Each side with the 1-minute load average just before it started (the machine is shared). */
  engine: ShopifyEngineRun & { loadAverage1m: number };
  baseline: (BulkBaselineResult | ChangesBaselineResult) & { loadAverage1m: number };
  /** Both sides hold exactly the same orders with as many line items (for incremental: the changed ones). */
  sameRecords: boolean;
}

interface CaseOptions {
  name: string;
  target: number;
  engineBudget: RequestRate;
}

/** The engine's first sync of the source's orders (a full refresh) against the bulk baseline, throttling off. */
export async function runFullRefreshCase(
  ctx: BenchContext,
  stack: SyncStack,
  sourceId: string,
  options: CaseOptions,
): Promise<ShopifyB3Case> {
  await recreateBaselineTable(stack.db, 'orders');
  ctx.step(`${options.name}: baseline script (bulk query, JSONL, COPY)`);
  await freshSide(stack, false);
  const baselineLoad = loadavg()[0];
  const client = baselineClient(stack.emulatorUrl, null);
  const baseline = await runBulkBaseline(stack.db, client.request, client.counts, stack.emulatorUrl);
  ctx.log(`baseline ${round2(baseline.seconds)} s (job ${round2(baseline.jobSeconds)} s, ${baseline.polls} polls)`);

  ctx.step(`${options.name}: engine sync`);
  await freshSide(stack, false);
  const engineLoad = loadavg()[0];
  const engine = await engineRun(stack, sourceId);
  ctx.log(`engine ${round2(engine.seconds)} s, ${engine.mode} ${engine.status}, ${engine.pages} pages`);

  const orders = (await emulatorIds(stack, 'orders')).length;
  const both = await compare(stack, sourceId, null);
  const sameRecords = both.same && both.orders === orders && baseline.records.orders === orders;
  if (engine.mode !== 'FULL_REFRESH' || engine.status !== 'SUCCEEDED' || !sameRecords) {
    throw new Error(`${options.name}: results differ: ${JSON.stringify({ engine, baseline, orders, both })}`);
  }
  const records = { orders, lineItems: both.lineItems };
  return { ...verdict(options, null, records, engine, engineLoad, baseline, baselineLoad), sameRecords };
}

/**
 * `changed` orders changed (after the source's first sync), then the engine's incremental run against the baseline
 * paging the connector's change query from the same saved position. `limits` null: throttling off.
 */
export async function runIncrementalCase(
  ctx: BenchContext,
  stack: SyncStack,
  sourceId: string,
  options: CaseOptions & { changed: number; limits: BucketLimits | null; marker: string },
): Promise<ShopifyB3Case> {
  const { limits } = options;
  ctx.step(`${options.name}: changing ${options.changed} orders`);
  const ids = await ordersToChange(stack, options.changed);
  await changeOrders(stack, ids, options.marker);
  await recreateBaselineTable(stack.db, 'orders');
  const position = await savedPosition(stack, sourceId);

  ctx.step(`${options.name}: baseline script (change query pages, COPY)`);
  await freshSide(stack, limits ?? false);
  const baselineLoad = loadavg()[0];
  const client = baselineClient(stack.emulatorUrl, limits ? new CostPace() : null);
  const baseline = await runChangesBaseline(stack.db, client, position);
  ctx.log(
    `baseline ${round2(baseline.seconds)} s, ${baseline.requests} requests, paced ${round2(baseline.pacingSeconds)} s`,
  );

  ctx.step(`${options.name}: engine sync`);
  await freshSide(stack, limits ?? false);
  const engineLoad = loadavg()[0];
  const engine = await engineRun(stack, sourceId);
  ctx.log(`engine ${round2(engine.seconds)} s, ${engine.mode} ${engine.status}, ${engine.pages} pages`);

  const both = await compare(stack, sourceId, options.marker);
  const changedIds = await baselineHoldsExactly(stack, ids);
  const sameRecords = both.same && both.orders === ids.length && changedIds;
  const ok = engine.mode === 'INCREMENTAL' && engine.status === 'SUCCEEDED' && engine.recordsUpdated === ids.length;
  if (!ok || !sameRecords) {
    throw new Error(`${options.name}: results differ: ${JSON.stringify({ engine, baseline, both, changedIds })}`);
  }
  const records = { orders: ids.length, lineItems: both.lineItems };
  return { ...verdict(options, limits, records, engine, engineLoad, baseline, baselineLoad), sameRecords };
}

function verdict(
  options: CaseOptions,
  limits: BucketLimits | null,
  records: ShopifyB3Case['records'],
  engine: ShopifyEngineRun,
  engineLoad: number,
  baseline: BulkBaselineResult | ChangesBaselineResult,
  baselineLoad: number,
): Omit<ShopifyB3Case, 'sameRecords'> {
  const ratio = baseline.seconds / engine.seconds;
  return {
    name: options.name,
    higherIsBetter: true,
    ratioDefinition: 'baseline seconds / engine seconds (the same orders on both sides)',
    ratio: round3(ratio),
    target: options.target,
    meets: ratio >= options.target,
    records,
    emulatorLimits: limits,
    engineBudget: options.engineBudget,
    engine: { ...engine, seconds: round2(engine.seconds), loadAverage1m: round2(engineLoad) },
    baseline: { ...roundSeconds(baseline), loadAverage1m: round2(baselineLoad) },
  };
}

/** Every `…Seconds` figure to 2 decimals. */
function roundSeconds<T extends object>(result: T): T {
  return Object.fromEntries(
    Object.entries(result).map(([key, value]) => [
      key,
      /seconds$/i.test(key) && typeof value === 'number' ? round2(value) : value,
    ]),
  ) as T;
}

/**
 * The engine's live orders (those with `note = marker` when given) against the baseline table: the same ids, and
 * the same number of line items per order.
 */
async function compare(
  stack: SyncStack,
  sourceId: string,
  marker: string | null,
): Promise<{ same: boolean; orders: number; lineItems: number; differ: number }> {
  const { rows } = await stack.db.query<{ engine: string; baseline: string; differ: string; line_items: string }>(
    `SELECT count(e.external_id) AS engine, count(b.external_id) AS baseline,
            count(*) FILTER (WHERE e.external_id IS NULL OR b.external_id IS NULL OR e.items <> b.items) AS differ,
            coalesce(sum(e.items), 0) AS line_items
     FROM (SELECT external_id, jsonb_array_length(payload->'lineItems') AS items FROM records
           WHERE source_id = $1 AND object = 'orders' AND deleted_at IS NULL
             AND ($2::text IS NULL OR payload->>'note' = $2)) e
     FULL JOIN (SELECT external_id, jsonb_array_length(payload->'lineItems') AS items FROM ${BASELINE_TABLE}) b
       USING (external_id)`,
    [sourceId, marker],
  );
  const [row] = rows;
  const differ = Number(row.differ);
  return {
    same: differ === 0 && row.engine === row.baseline,
    orders: Number(row.engine),
    lineItems: Number(row.line_items),
    differ,
  };
}

/** The baseline read exactly the changed orders: nothing the lookback re-read, nothing missed. */
async function baselineHoldsExactly(stack: SyncStack, ids: string[]): Promise<boolean> {
  const gids = ids.map((id) => `gid://shopify/Order/${id}`);
  const { rows } = await stack.db.query<{ n: string; matching: string }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE external_id = ANY($1)) AS matching FROM ${BASELINE_TABLE}`,
    [gids],
  );
  return Number(rows[0].n) === ids.length && Number(rows[0].matching) === ids.length;
}
