// The bulk queries of a full refresh (cloud-apis.md §3.4): one root connection per object, sorted by UPDATED_AT,
// with at most one nested connection (line items of orders, variants of products). The fields are the ones the
// Admin 2026-01 schema holds; the emulator checks every one of them against that schema.

const MONEY = 'shopMoney { amount currencyCode }';

interface BulkObject {
  /** The root connection of QueryRoot. */
  connection: string;
  fields: string;
  /** The nested connection, keyed by the GID type of its nodes (how JSONL child lines are told apart). */
  child?: { typeName: string; field: string; fields: string };
}

const BULK_OBJECTS: Record<string, BulkObject> = {
  customers: {
    connection: 'customers',
    fields: `id legacyResourceId email firstName lastName displayName phone note tags state verifiedEmail
      numberOfOrders amountSpent { amount currencyCode } createdAt updatedAt`,
  },
  orders: {
    connection: 'orders',
    fields: `id legacyResourceId name email createdAt updatedAt processedAt cancelledAt closedAt closed
      displayFinancialStatus displayFulfillmentStatus totalPriceSet { ${MONEY} } subtotalPriceSet { ${MONEY} }
      currentTotalPriceSet { ${MONEY} } currencyCode presentmentCurrencyCode tags test note customer { id }`,
    child: {
      typeName: 'LineItem',
      field: 'lineItems',
      fields: `id name title variantTitle sku quantity currentQuantity originalUnitPriceSet { ${MONEY} }
        discountedUnitPriceSet { ${MONEY} } originalTotalSet { ${MONEY} } product { id } variant { id }`,
    },
  },
  products: {
    connection: 'products',
    fields: `id legacyResourceId title handle status vendor productType tags descriptionHtml createdAt updatedAt
      publishedAt totalInventory`,
    child: {
      typeName: 'ProductVariant',
      field: 'variants',
      fields: 'id legacyResourceId title displayName sku price inventoryQuantity createdAt updatedAt',
    },
  },
};

export const BULK_OBJECT_NAMES = Object.keys(BULK_OBJECTS);

/** Inclusive `updated_at` bounds (ISO date-times); both sides optional. */
export interface UpdatedAtWindow {
  gte?: string;
  lte?: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function bulkObject(object: string): BulkObject {
  const spec = BULK_OBJECTS[object];
  if (!spec) {
    throw new Error(`no Shopify bulk query for object "${object}" (known: ${BULK_OBJECT_NAMES.join(', ')})`);
  }
  return spec;
}

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
  const spec = bulkObject(object);
  const filter = searchFilter(window);
  const args = filter ? `query: ${JSON.stringify(filter)}, sortKey: UPDATED_AT` : 'sortKey: UPDATED_AT';
  const child = spec.child ? ` ${spec.child.field} { edges { node { ${spec.child.fields} } } }` : '';
  const query = `{ ${spec.connection}(${args}) { edges { node { ${spec.fields}${child} } } } }`;
  return query.replace(/\s+/g, ' ');
}

/** Where each child GID type nests under its parent: `{ LineItem: 'lineItems' }` for orders. */
export function bulkChildFields(object: string): Record<string, string> {
  const { child } = bulkObject(object);
  return child ? { [child.typeName]: child.field } : {};
}
