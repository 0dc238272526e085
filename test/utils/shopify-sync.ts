// Shopify sources through the engine in e2e tests: creating one, the emulator's own truth for an object, and the
// stored records seen the same way, so a test compares the two maps.
import type { Resource } from '../../emulators/shopify/src';
import { queryTestDb } from './database';
import * as op from './operations';
import { servedWithin } from './stripe-sync';
import type { SyncStack } from './sync-stack';

export const SHOP = 'tributary-emu.myshopify.com';
export const SHOPIFY_OBJECTS: Resource[] = ['customers', 'orders', 'products'];
const GID_TYPES: Record<Resource, string> = { customers: 'Customer', orders: 'Order', products: 'Product' };
const CHILD_TYPES: Partial<Record<Resource, string>> = { orders: 'LineItem', products: 'ProductVariant' };

/** A record as the comparisons see it: when it last changed (ms) and its children's GIDs in order. */
export interface RecordView {
  updatedAt: number;
  children: string[];
}

/** Every record of `resource` in the emulator's own state (not through our client): GID → view. */
export function shopifyTruth(stack: SyncStack, resource: Resource): Map<string, RecordView> {
  const store = stack.shopify!.state.store;
  const truth = new Map<string, RecordView>();
  for (const record of store.sortedBy(resource, 'ID')) {
    const children = 'lineItems' in record ? record.lineItems : 'variants' in record ? record.variants : [];
    truth.set(`gid://shopify/${GID_TYPES[resource]}/${record.id}`, {
      updatedAt: record.updatedAt,
      children: children.map((child) => `gid://shopify/${CHILD_TYPES[resource]}/${child.id}`),
    });
  }
  return truth;
}

/** Stored payloads (liveRecords) seen as shopifyTruth sees the emulator's records. */
export function storedView(stored: Map<string, Record<string, unknown>>): Map<string, RecordView> {
  return new Map(
    [...stored].map(([id, payload]) => {
      const children = (payload.lineItems ?? payload.variants ?? []) as { id: string }[];
      const view = { updatedAt: Date.parse(payload.updatedAt as string), children: children.map((c) => c.id) };
      return [id, view];
    }),
  );
}

/** Sorted by key, so a failing comparison shows the first differences. */
export function sorted<V>(map: Map<string, V>): Map<string, V> {
  return new Map([...map].sort(([a], [b]) => a.localeCompare(b)));
}

/** A Shopify source on SHOP with `accessToken`, served by a worker. */
export async function createShopifySource(stack: SyncStack, name: string, accessToken: string): Promise<string> {
  const { createSource } = await stack.call(op.CREATE_SOURCE, {
    input: { name, kind: 'SHOPIFY', environment: 'PRODUCTION' },
  });
  await stack.call(op.SET_CREDENTIALS, {
    input: { sourceId: createSource.id, shopify: { shopDomain: SHOP, accessToken } },
  });
  await servedWithin(stack, createSource.id, true, 5000);
  return createSource.id as string;
}

/** The bulk jobs the emulator ran for `resource` since its last reset, oldest first (GID, status). */
export function bulkJobs(
  stack: SyncStack,
  resource: Resource,
): { id: string; status: string; errorCode: string | null }[] {
  return stack
    .shopify!.state.bulk.list()
    .filter((job) => job.query.trimStart().startsWith(`{ ${resource}(`))
    .map((job) => ({ id: `gid://shopify/BulkOperation/${job.id}`, status: job.status, errorCode: job.errorCode }));
}

/** Leases of bulk slots still held in Postgres (every finished job gives its slot back). */
export async function heldSlots(): Promise<string[]> {
  // Shopify's slots only, and only those still held: the test database is shared by every test file, and
  // other files' leases (the concurrency-leases tests', say) are no concern of a Shopify test.
  const rows = await queryTestDb<{ scope: string }>(
    "SELECT scope FROM concurrency_leases WHERE scope LIKE 'shopify:%' AND expires_at > now()",
  );
  return rows.map((row) => row.scope);
}
