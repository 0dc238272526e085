// Webhook payloads are REST-shaped (cloud-apis.md §3.6): snake_case, numeric ids beside `admin_graphql_api_id`,
// comma-separated tags, prices as decimal strings, lower-case statuses. A delete carries only the id.
import { totalCents } from './generate';
import {
  type AnyRecord,
  type CustomerRecord,
  gid,
  iso,
  money,
  type OrderRecord,
  type ProductRecord,
  type Resource,
} from './records';
import { CURRENCY } from './shape';

type Body = Record<string, unknown>;

export function restBody(resource: Resource, record: AnyRecord, deleted: boolean): Body {
  if (deleted) {
    return { id: record.id };
  }
  switch (resource) {
    case 'customers':
      return customerBody(record as CustomerRecord);
    case 'orders':
      return orderBody(record as OrderRecord);
    case 'products':
      return productBody(record as ProductRecord);
  }
}

function customerBody(customer: CustomerRecord): Body {
  return {
    id: customer.id,
    email: customer.email,
    created_at: iso(customer.createdAt),
    updated_at: iso(customer.updatedAt),
    first_name: customer.firstName,
    last_name: customer.lastName,
    orders_count: customer.numberOfOrders,
    state: customer.state.toLowerCase(),
    total_spent: customer.amountSpent,
    note: customer.note,
    verified_email: customer.verifiedEmail,
    tags: customer.tags.join(', '),
    currency: CURRENCY,
    phone: customer.phone,
    admin_graphql_api_id: gid('Customer', customer.id),
  };
}

function orderBody(order: OrderRecord): Body {
  return {
    id: order.id,
    admin_graphql_api_id: gid('Order', order.id),
    name: `#${order.number}`,
    order_number: order.number,
    email: order.email,
    created_at: iso(order.createdAt),
    updated_at: iso(order.updatedAt),
    processed_at: iso(order.processedAt),
    cancelled_at: order.cancelledAt === null ? null : iso(order.cancelledAt),
    closed_at: order.closedAt === null ? null : iso(order.closedAt),
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: order.fulfillmentStatus === 'UNFULFILLED' ? null : order.fulfillmentStatus.toLowerCase(),
    currency: CURRENCY,
    total_price: money(totalCents(order)),
    tags: order.tags.join(', '),
    test: order.test,
    note: order.note,
    customer:
      order.customerId === null
        ? null
        : { id: order.customerId, admin_graphql_api_id: gid('Customer', order.customerId) },
    line_items: order.lineItems.map((line) => ({
      id: line.id,
      admin_graphql_api_id: gid('LineItem', line.id),
      title: line.title,
      variant_title: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      price: line.price,
      product_id: line.productId,
      variant_id: line.variantId,
    })),
  };
}

function productBody(product: ProductRecord): Body {
  return {
    id: product.id,
    admin_graphql_api_id: gid('Product', product.id),
    title: product.title,
    handle: product.handle,
    status: product.status.toLowerCase(),
    vendor: product.vendor,
    product_type: product.productType,
    tags: product.tags.join(', '),
    created_at: iso(product.createdAt),
    updated_at: iso(product.updatedAt),
    published_at: product.publishedAt === null ? null : iso(product.publishedAt),
    variants: product.variants.map((variant) => ({
      id: variant.id,
      admin_graphql_api_id: gid('ProductVariant', variant.id),
      product_id: product.id,
      title: variant.title,
      sku: variant.sku,
      price: variant.price,
      inventory_quantity: variant.inventoryQuantity,
      created_at: iso(variant.createdAt),
      updated_at: iso(variant.updatedAt),
    })),
  };
}
