// The bulk queries of a full refresh (cloud-apis.md §3.4): one root connection per object, sorted by UPDATED_AT,
// with at most one nested connection (line items of orders, variants of products). The fields are the synced
// objects' own (shopify.objects.ts), so a record read in bulk equals the same record read by the change log or by
// id; the emulator checks every one of them against the Admin 2026-01 schema.
import { shopifyObject } from './shopify.objects';

/** Inclusive `updated_at` bounds (ISO date-times); both sides optional. */
export interface UpdatedAtWindow {
  gte?: string;
  lte?: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The search filter for `window`. Bounds are inclusive on both sides so rows sharing the boundary's `updated_at`
 * are read by both neighbouring windows (upserts dedupe them) rather than by neither (Airbyte #85372). An empty
 * value would make Shopify answer INTERNAL_SERVER_ERROR (Airbyte #33827), so only well-formed times get in.
 */
function searchFilter(window: UpdatedAtWindow): string | null {
  const terms: string[] = [];
  for (const [operator, value] of [
    ['>=', window.gte],
    ['<=', window.lte],
  ] as const) {
    if (value === undefined) {
      continue;
    }
    if (!ISO_TIME.test(value)) {
      throw new Error(`updated_at bound must be an ISO UTC date-time like 2026-01-31T00:00:00Z, got "${value}"`);
    }
    terms.push(`updated_at:${operator}'${value}'`);
  }
  return terms.length > 0 ? terms.join(' AND ') : null;
}

/** The bulk query reading every `object` (within `window` when given), sorted by UPDATED_AT. */
export function bulkQueryFor(object: string, window: UpdatedAtWindow = {}): string {
  const spec = shopifyObject(object);
  const filter = searchFilter(window);
  const args = filter ? `query: ${JSON.stringify(filter)}, sortKey: UPDATED_AT` : 'sortKey: UPDATED_AT';
  // Bulk connections take no page size: Shopify returns them whole.
  const child = spec.child ? ` ${spec.child.field} { edges { node { ${spec.child.node} } } }` : '';
  const query = `{ ${spec.root}(${args}) { edges { node { ${spec.node}${child} } } } }`;
  return query.replace(/\s+/g, ' ');
}

/** Where each child GID type nests under its parent: `{ LineItem: 'lineItems' }` for orders. */
export function bulkChildFields(object: string): Record<string, string> {
  const { child } = shopifyObject(object);
  return child ? { [child.gidType]: child.field } : {};
}
