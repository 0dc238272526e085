// The shop's records as the emulator keeps them: customers, orders (each with its line items) and products (each
// with its variants), with numeric ids that only grow, as Shopify's do, and millisecond times on the emulator clock.
// The GraphQL shapes (shape.ts) and the REST webhook bodies (webhook-bodies.ts) are both views of these.

export const RESOURCES = ['customers', 'orders', 'products'] as const;
export type Resource = (typeof RESOURCES)[number];

export function isResource(name: string): name is Resource {
  return (RESOURCES as readonly string[]).includes(name);
}

interface Stamped {
  id: number;
  createdAt: number;
  updatedAt: number;
  /** When it was last written (emulator clock): search sees it only once the index lag has passed. */
  writtenAt: number;
  tags: string[];
}

export type CustomerState = 'ENABLED' | 'DISABLED' | 'INVITED' | 'DECLINED';

export interface CustomerRecord extends Stamped {
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  note: string | null;
  state: CustomerState;
  verifiedEmail: boolean;
  numberOfOrders: number;
  /** Decimal string in the shop currency. */
  amountSpent: string;
}

export interface LineItemRecord {
  id: number;
  title: string;
  variantTitle: string;
  sku: string;
  quantity: number;
  /** Unit price, decimal string. */
  price: string;
  productId: number;
  variantId: number;
}

export type FinancialStatus = 'PAID' | 'PENDING' | 'REFUNDED' | 'PARTIALLY_REFUNDED' | 'AUTHORIZED' | 'VOIDED';
export type FulfillmentStatus = 'FULFILLED' | 'UNFULFILLED' | 'PARTIALLY_FULFILLED';

export interface OrderRecord extends Stamped {
  number: number;
  email: string | null;
  customerId: number | null;
  processedAt: number;
  cancelledAt: number | null;
  closedAt: number | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  test: boolean;
  note: string | null;
  lineItems: LineItemRecord[];
}

export interface VariantRecord {
  id: number;
  title: string;
  sku: string;
  price: string;
  inventoryQuantity: number;
  createdAt: number;
  updatedAt: number;
}

export type ProductStatus = 'ACTIVE' | 'DRAFT' | 'ARCHIVED';

export interface ProductRecord extends Stamped {
  title: string;
  handle: string;
  status: ProductStatus;
  vendor: string;
  productType: string;
  publishedAt: number | null;
  variants: VariantRecord[];
}

export interface RecordOf {
  customers: CustomerRecord;
  orders: OrderRecord;
  products: ProductRecord;
}
export type AnyRecord = CustomerRecord | OrderRecord | ProductRecord;

/** The GraphQL type of each resource's records. */
export const TYPE_NAME: Record<Resource, 'Customer' | 'Order' | 'Product'> = {
  customers: 'Customer',
  orders: 'Order',
  products: 'Product',
};

export function gid(typeName: string, id: number): string {
  return `gid://shopify/${typeName}/${id}`;
}

/** `gid://shopify/Order/123` → `{type: 'Order', id: 123}`; undefined for anything else. */
export function parseGid(value: string): { type: string; id: number } | undefined {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
  return match ? { type: match[1], id: Number(match[2]) } : undefined;
}

/** Shopify's DateTime: whole seconds, UTC. */
export function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Shopify keeps whole seconds: every stored time is floored to one. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export function money(cents: number): string {
  return (cents / 100).toFixed(2);
}
