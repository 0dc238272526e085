import type { MappedRecord, ObjectDescriptor } from '../core/connector';
import { ProviderError } from '../core/provider-error';

/**
 * One synced object: its root field, the page size and the node's selection. Page sizes keep each page's
 * requested cost under Shopify's 1000-point cap (connection = 2 + first × the node's cost, objects 1,
 * scalars 0; cloud-apis.md §3.3), with room left: orders carry their first 10 line items (cost 56 a node),
 * products their first 10 variants (cost 13); the rest of a longer child list is read per record
 * (shopify.children.ts).
 */
export interface ShopifyObject {
  descriptor: ObjectDescriptor;
  /** The root connection (`customers`), and the singular field reading one record by id (`customer`). */
  root: string;
  single: string;
  /** The GID type (`gid://shopify/Customer/…`), which webhooks and node(id:) name. */
  gidType: string;
  pageSize: number;
  node: string;
  /** The child connection carried on each record, when it has one, and its nodes' GID type. */
  child?: { field: string; node: string; gidType: string };
}

const MONEY = '{ shopMoney { amount currencyCode } }';

const CUSTOMER = `id legacyResourceId email firstName lastName displayName phone note tags state verifiedEmail
  numberOfOrders amountSpent { amount currencyCode } createdAt updatedAt`;

const LINE_ITEM = `id name title variantTitle sku quantity currentQuantity originalUnitPriceSet ${MONEY}
  product { id } variant { id }`;

const ORDER = `id legacyResourceId name email createdAt updatedAt processedAt cancelledAt closedAt closed
  displayFinancialStatus displayFulfillmentStatus totalPriceSet ${MONEY} currencyCode tags test note customer { id }`;

const VARIANT = 'id legacyResourceId title displayName sku price inventoryQuantity createdAt updatedAt';

const PRODUCT = `id legacyResourceId title handle status vendor productType tags createdAt updatedAt publishedAt
  totalInventory`;

// The records carry `updatedAt`: the incremental cursor (Shopify's `updated_at` filter).
const descriptor = (name: string): ObjectDescriptor => ({ name, primaryKey: 'id', cursorField: 'updatedAt' });

export const SHOPIFY_OBJECTS: readonly ShopifyObject[] = [
  {
    descriptor: descriptor('customers'),
    root: 'customers',
    single: 'customer',
    gidType: 'Customer',
    pageSize: 250, // 2 + 250 × 2 = 502
    node: CUSTOMER,
  },
  {
    descriptor: descriptor('orders'),
    root: 'orders',
    single: 'order',
    gidType: 'Order',
    pageSize: 15, // 2 + 15 × (4 + 2 + 10 × 5) = 842
    node: ORDER,
    child: { field: 'lineItems', node: LINE_ITEM, gidType: 'LineItem' },
  },
  {
    descriptor: descriptor('products'),
    root: 'products',
    single: 'product',
    gidType: 'Product',
    pageSize: 50, // 2 + 50 × (1 + 2 + 10) = 652
    node: PRODUCT,
    child: { field: 'variants', node: VARIANT, gidType: 'ProductVariant' },
  },
];

/** Children carried on each page's records; more are read per record. */
export const CHILDREN_PER_PAGE = 10;

export function shopifyObject(name: string): ShopifyObject {
  const object = SHOPIFY_OBJECTS.find((o) => o.descriptor.name === name);
  if (!object) {
    throw new ProviderError('invalid', `Shopify has no object "${name}" here`, 'shopify');
  }
  return object;
}

/** The node's selection with its first children (and whether there are more). */
export function nodeSelection(object: ShopifyObject): string {
  if (!object.child) {
    return object.node;
  }
  const { field, node } = object.child;
  return `${object.node} ${field}(first: ${CHILDREN_PER_PAGE}) { pageInfo { hasNextPage endCursor } nodes { ${node} } }`;
}

/** A node as Shopify answered it: its child connection, if any, is still a connection. */
export type ShopifyNode = Record<string, unknown> & { id: string; legacyResourceId?: string; updatedAt?: string };

export interface ChildConnection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Record<string, unknown>[];
}

/**
 * The record: externalId is the GID (gid://shopify/Order/…), the id webhooks (`admin_graphql_api_id`),
 * node(id:) and references between objects (an order's customer { id }) use; the numeric legacy id is in the
 * payload. The payload is the node with its children as a plain list (`lineItems: […]`).
 */
export function toRecord(object: ShopifyObject, node: ShopifyNode, children?: Record<string, unknown>[]): MappedRecord {
  if (!object.child) {
    return { externalId: node.id, payload: node };
  }
  return { externalId: node.id, payload: { ...node, [object.child.field]: children ?? [] } };
}
