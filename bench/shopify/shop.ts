// The Shopify bench's shop: the emulator in a process of its own, its data and clock, the source that reads it, and
// the engine's runs over it (each timed from the GraphQL trigger to the end of its workflow).
import { type BucketLimits, DEFAULT_SHOP, DEFAULT_TOKEN } from '../../emulators/shopify/src';
import type { ChangeVersion } from '../../libs/connectors/src/core/connector';
import { checkpoint, type EngineRun, syncThroughEngine } from '../sync/b3';
import { CREATE_SOURCE, type EmulatorSpec, SET_CREDENTIALS, type SyncStack } from '../sync/stack';

export const SHOPIFY_EMULATOR: EmulatorSpec = {
  name: 'Shopify',
  entry: 'emulators/shopify/src/main.ts',
  env: {
    SHOPIFY_EMULATOR_PORT: '0',
    SHOPIFY_EMULATOR_CUSTOMERS: '0',
    SHOPIFY_EMULATOR_ORDERS: '0',
    SHOPIFY_EMULATOR_PRODUCTS: '0',
    SHOPIFY_EMULATOR_THROTTLE: 'off',
  },
  urlPattern: /shopify emulator on (http:\/\/\S+)/,
  baseUrlSetting: 'SHOPIFY_API_BASE_URL',
};

/** Products the orders' line items point at (1–4 line items an order, each a variant of one of them). */
const PRODUCTS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Orders changed per second of `updatedAt` in one round of changes (so a round spans several seconds). */
const CHANGES_PER_SECOND = 100;

/**
 * New data: `orders` (one customer per five orders, the emulator's line items). It is generated in the year before
 * a day ago, so no order is within the change log's lookback of the first sync; the clock then follows real time.
 */
export async function resetShop(stack: SyncStack, orders: number): Promise<void> {
  await stack.emulator('/clock', { nowMs: Date.now() - DAY_MS });
  await stack.emulator('/reset', { orders, customers: Math.ceil(orders / 5), products: PRODUCTS });
  await stack.emulator('/clock', { restore: true });
}

/** The ids of `count` orders spread evenly over the shop's orders (ascending ids). */
export async function ordersToChange(stack: SyncStack, count: number): Promise<string[]> {
  const ids = await emulatorIds(stack, 'orders');
  if (count > ids.length) {
    throw new Error(`cannot change ${count} orders of ${ids.length}`);
  }
  return Array.from({ length: count }, (_, i) => ids[Math.floor((i * ids.length) / count)]);
}

/**
 * One round of changes: an hour later on the emulator's clock (past the lookback of the last position read), the
 * `ids` get `note: marker` and an `updatedAt` each, a hundred orders a second over the round's last seconds.
 */
export async function changeOrders(stack: SyncStack, ids: string[], marker: string): Promise<void> {
  const { nowMs } = (await stack.emulator('/clock', { advanceMs: HOUR_MS })) as { nowMs: number };
  const seconds = Math.ceil(ids.length / CHANGES_PER_SECOND);
  for (let second = 0; second < seconds; second++) {
    const batch = ids.slice(second * CHANGES_PER_SECOND, (second + 1) * CHANGES_PER_SECOND);
    const updatedAt = nowMs - (seconds - 1 - second) * 1000;
    const { ids: changed } = (await stack.emulator('/objects/orders/update', {
      ids: batch,
      set: { note: marker },
      updatedAt,
    })) as { ids: string[] };
    if (changed.length !== batch.length) {
      throw new Error(`the emulator changed ${changed.length} of ${batch.length} orders`);
    }
  }
}

/** A Shopify source on the emulator's shop with its token, through GraphQL as a user would create it. */
export async function createShopifySource(stack: SyncStack, name: string): Promise<string> {
  const { createSource } = await stack.graphql<{ createSource: { id: string } }>(CREATE_SOURCE, {
    input: { name, kind: 'SHOPIFY', environment: 'PRODUCTION' },
  });
  await stack.graphql(SET_CREDENTIALS, {
    input: { sourceId: createSource.id, shopify: { shopDomain: DEFAULT_SHOP, accessToken: DEFAULT_TOKEN } },
  });
  return createSource.id;
}

/**
 * Each side starts with the emulator's bucket full at `limits` (false: no throttling), the engine's shop budget
 * full, and no dirty buffers left by the other side.
 */
export async function freshSide(stack: SyncStack, limits: BucketLimits | false): Promise<void> {
  await stack.emulator('/limits', limits === false ? { throttling: false } : limits);
  await stack.db.query(`DELETE FROM request_budgets WHERE account LIKE 'shopify:%'`);
  await checkpoint(stack);
}

/** The change position the engine saved for the source's orders: where its next incremental run reads on. */
export async function savedPosition(stack: SyncStack, sourceId: string): Promise<ChangeVersion> {
  const { rows } = await stack.db.query<{ position_at: string | null; position_id: string | null }>(
    `SELECT position_at, position_id FROM sync_state WHERE source_id = $1 AND object = 'orders'`,
    [sourceId],
  );
  if (!rows[0] || rows[0].position_at === null) {
    throw new Error('the engine saved no change position for orders');
  }
  return { at: Number(rows[0].position_at), id: rows[0].position_id };
}

export type ShopifyEngineRun = EngineRun & { mode: string; recordsUpdated: number };

/** One run of orders through the engine, with the mode it chose and the rows it updated. */
export async function engineRun(stack: SyncStack, sourceId: string): Promise<ShopifyEngineRun> {
  const run = await syncThroughEngine(stack, sourceId, 'orders');
  const { rows } = await stack.db.query<{ mode: string; records_updated: number }>(
    `SELECT mode, records_updated FROM sync_runs WHERE source_id = $1 ORDER BY started_at DESC LIMIT 1`,
    [sourceId],
  );
  return { ...run, mode: rows[0].mode, recordsUpdated: rows[0].records_updated };
}

export async function emulatorIds(stack: SyncStack, resource: string): Promise<string[]> {
  const response = await fetch(`${stack.emulatorUrl}/_emulator/objects/${resource}`);
  if (!response.ok) {
    throw new Error(`emulator objects/${resource} answered ${response.status}`);
  }
  return ((await response.json()) as { ids: string[] }).ids;
}
