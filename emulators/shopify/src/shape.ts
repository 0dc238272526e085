// Records as GraphQL objects of the Admin schema: plain objects whose properties graphql-js reads with its default
// resolver; nested connections and references are functions it calls with (args, context, info). Fields a view does
// not hold resolve to null (or to a non-null error, as a server would fail on them): the README lists what is held.
import type { GraphQLResolveInfo } from 'graphql';
import { type ConnectionArgs } from './connection';
import { connection, type RequestContext, type SortCodec } from './context';
import {
  type CustomerRecord,
  gid,
  iso,
  type LineItemRecord,
  money,
  type OrderRecord,
  type ProductRecord,
  type VariantRecord,
} from './records';

type View = Record<string, unknown>;
type Resolver = (args: ConnectionArgs, context: RequestContext, info: GraphQLResolveInfo) => unknown;

export const CURRENCY = 'USD';

function moneyBag(amount: string): View {
  const money = { amount, currencyCode: CURRENCY };
  return { shopMoney: money, presentmentMoney: money };
}

function common(typeName: string, record: { id: number }): View {
  return { __typename: typeName, id: gid(typeName, record.id), legacyResourceId: String(record.id) };
}

/** Nested connections (line items, variants) list in id order. */
function byId<T extends { id: number }>(): SortCodec<T> {
  return { key: (item) => item.id, display: (value) => value, parse: Number };
}

export function customerView(customer: CustomerRecord): View {
  return {
    ...common('Customer', customer),
    email: customer.email,
    defaultEmailAddress: { emailAddress: customer.email },
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: `${customer.firstName} ${customer.lastName}`,
    phone: customer.phone,
    defaultPhoneNumber: customer.phone === null ? null : { phoneNumber: customer.phone },
    note: customer.note,
    tags: customer.tags,
    state: customer.state,
    verifiedEmail: customer.verifiedEmail,
    numberOfOrders: String(customer.numberOfOrders),
    amountSpent: { amount: customer.amountSpent, currencyCode: CURRENCY },
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
  };
}

export function orderView(order: OrderRecord): View {
  const total = money(
    order.lineItems.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0),
  );
  const lineItems: Resolver = (args, context, info) =>
    connection(order.lineItems, byId<LineItemRecord>(), args, context, info, (line) => lineItemView(line));
  const customer: Resolver = (_args, context) => {
    const found = order.customerId === null ? undefined : context.state.store.get('customers', order.customerId);
    return found ? customerView(found) : null;
  };
  return {
    ...common('Order', order),
    name: `#${order.number}`,
    email: order.email,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
    processedAt: iso(order.processedAt),
    cancelledAt: order.cancelledAt === null ? null : iso(order.cancelledAt),
    closedAt: order.closedAt === null ? null : iso(order.closedAt),
    closed: order.closedAt !== null,
    displayFinancialStatus: order.financialStatus,
    displayFulfillmentStatus: order.fulfillmentStatus,
    totalPriceSet: moneyBag(total),
    subtotalPriceSet: moneyBag(total),
    currentTotalPriceSet: moneyBag(total),
    currencyCode: CURRENCY,
    presentmentCurrencyCode: CURRENCY,
    tags: order.tags,
    test: order.test,
    note: order.note,
    customer,
    lineItems,
  };
}

export function lineItemView(line: LineItemRecord): View {
  const product: Resolver = (_args, context) => {
    const found = context.state.store.get('products', line.productId);
    return found ? productView(found) : null;
  };
  const variant: Resolver = (_args, context) => {
    const found = context.state.store.get('products', line.productId);
    const record = found?.variants.find((each) => each.id === line.variantId);
    return found && record ? variantView(record, found) : null;
  };
  return {
    ...common('LineItem', line),
    name: `${line.title} - ${line.variantTitle}`,
    title: line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    quantity: line.quantity,
    currentQuantity: line.quantity,
    originalUnitPriceSet: moneyBag(line.price),
    discountedUnitPriceSet: moneyBag(line.price),
    originalTotalSet: moneyBag(money(Math.round(Number(line.price) * 100) * line.quantity)),
    product,
    variant,
  };
}

export function productView(product: ProductRecord): View {
  const variants: Resolver = (args, context, info) =>
    connection(product.variants, byId<VariantRecord>(), args, context, info, (variant) =>
      variantView(variant, product),
    );
  return {
    ...common('Product', product),
    title: product.title,
    handle: product.handle,
    status: product.status,
    vendor: product.vendor,
    productType: product.productType,
    tags: product.tags,
    descriptionHtml: '',
    createdAt: iso(product.createdAt),
    updatedAt: iso(product.updatedAt),
    publishedAt: product.publishedAt === null ? null : iso(product.publishedAt),
    totalInventory: product.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0),
    variantsCount: { count: product.variants.length, precision: 'EXACT' },
    variants,
  };
}

export function variantView(variant: VariantRecord, product: ProductRecord): View {
  return {
    ...common('ProductVariant', variant),
    title: variant.title,
    displayName: `${product.title} - ${variant.title}`,
    sku: variant.sku,
    price: variant.price,
    inventoryQuantity: variant.inventoryQuantity,
    createdAt: iso(variant.createdAt),
    updatedAt: iso(variant.updatedAt),
    product: () => productView(product),
  };
}
