// Records as GraphQL objects of the Admin schema: one small object per record whose getters graphql-js's default
// resolver (and the bulk projection) reads, so a field costs something only when a query selects it — a bulk job
// over 50,000 orders must not build every field of every order. Nested connections and references are methods,
// called with (args, context, info). Fields a view does not hold resolve to null (or to a non-null error, as a
// server would fail on them): the README lists what is held.
import type { GraphQLResolveInfo } from 'graphql';
import type { ConnectionArgs } from './connection';
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

export const CURRENCY = 'USD';

function moneyBag(amount: string) {
  const value = { amount, currencyCode: CURRENCY };
  return { shopMoney: value, presentmentMoney: value };
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const cents = (price: string): number => Math.round(Number(price) * 100);

/** Nested connections (line items, variants) list in id order. */
function byId<T extends { id: number }>(): SortCodec<T> {
  return { key: (item) => item.id, display: (value) => value, parse: Number };
}

abstract class NodeView<R extends { id: number }> {
  abstract readonly __typename: string;
  constructor(protected readonly record: R) {}
  get id(): string {
    return gid(this.__typename, this.record.id);
  }
  get legacyResourceId(): string {
    return String(this.record.id);
  }
}

class CustomerView extends NodeView<CustomerRecord> {
  readonly __typename = 'Customer';
  get email() {
    return this.record.email;
  }
  get defaultEmailAddress() {
    return { emailAddress: this.record.email };
  }
  get firstName() {
    return this.record.firstName;
  }
  get lastName() {
    return this.record.lastName;
  }
  get displayName() {
    return `${this.record.firstName} ${this.record.lastName}`;
  }
  get phone() {
    return this.record.phone;
  }
  get defaultPhoneNumber() {
    return this.record.phone === null ? null : { phoneNumber: this.record.phone };
  }
  get note() {
    return this.record.note;
  }
  get tags() {
    return this.record.tags;
  }
  get state() {
    return this.record.state;
  }
  get verifiedEmail() {
    return this.record.verifiedEmail;
  }
  get numberOfOrders() {
    return String(this.record.numberOfOrders);
  }
  get amountSpent() {
    return { amount: this.record.amountSpent, currencyCode: CURRENCY };
  }
  get createdAt() {
    return iso(this.record.createdAt);
  }
  get updatedAt() {
    return iso(this.record.updatedAt);
  }
}

class OrderView extends NodeView<OrderRecord> {
  readonly __typename = 'Order';
  get name() {
    return `#${this.record.number}`;
  }
  get email() {
    return this.record.email;
  }
  get createdAt() {
    return iso(this.record.createdAt);
  }
  get updatedAt() {
    return iso(this.record.updatedAt);
  }
  get processedAt() {
    return iso(this.record.processedAt);
  }
  get cancelledAt() {
    return isoOrNull(this.record.cancelledAt);
  }
  get closedAt() {
    return isoOrNull(this.record.closedAt);
  }
  get closed() {
    return this.record.closedAt !== null;
  }
  get displayFinancialStatus() {
    return this.record.financialStatus;
  }
  get displayFulfillmentStatus() {
    return this.record.fulfillmentStatus;
  }
  get totalPriceSet() {
    return moneyBag(this.total());
  }
  get subtotalPriceSet() {
    return moneyBag(this.total());
  }
  get currentTotalPriceSet() {
    return moneyBag(this.total());
  }
  get currencyCode() {
    return CURRENCY;
  }
  get presentmentCurrencyCode() {
    return CURRENCY;
  }
  get tags() {
    return this.record.tags;
  }
  get test() {
    return this.record.test;
  }
  get note() {
    return this.record.note;
  }
  customer(_args: unknown, context: RequestContext) {
    const { customerId } = this.record;
    const found = customerId === null ? undefined : context.state.store.get('customers', customerId);
    return found ? customerView(found) : null;
  }
  lineItems(args: ConnectionArgs, context: RequestContext, info: GraphQLResolveInfo) {
    return connection(this.record.lineItems, byId<LineItemRecord>(), args, context, info, lineItemView);
  }
  private total(): string {
    return money(this.record.lineItems.reduce((sum, line) => sum + cents(line.price) * line.quantity, 0));
  }
}

class LineItemView extends NodeView<LineItemRecord> {
  readonly __typename = 'LineItem';
  get name() {
    return `${this.record.title} - ${this.record.variantTitle}`;
  }
  get title() {
    return this.record.title;
  }
  get variantTitle() {
    return this.record.variantTitle;
  }
  get sku() {
    return this.record.sku;
  }
  get quantity() {
    return this.record.quantity;
  }
  get currentQuantity() {
    return this.record.quantity;
  }
  get originalUnitPriceSet() {
    return moneyBag(this.record.price);
  }
  get discountedUnitPriceSet() {
    return moneyBag(this.record.price);
  }
  get originalTotalSet() {
    return moneyBag(money(cents(this.record.price) * this.record.quantity));
  }
  product(_args: unknown, context: RequestContext) {
    const found = context.state.store.get('products', this.record.productId);
    return found ? productView(found) : null;
  }
  variant(_args: unknown, context: RequestContext) {
    const found = context.state.store.get('products', this.record.productId);
    const variant = found?.variants.find((each) => each.id === this.record.variantId);
    return found && variant ? variantView(variant, found) : null;
  }
}

class ProductView extends NodeView<ProductRecord> {
  readonly __typename = 'Product';
  get title() {
    return this.record.title;
  }
  get handle() {
    return this.record.handle;
  }
  get status() {
    return this.record.status;
  }
  get vendor() {
    return this.record.vendor;
  }
  get productType() {
    return this.record.productType;
  }
  get tags() {
    return this.record.tags;
  }
  get descriptionHtml() {
    return '';
  }
  get createdAt() {
    return iso(this.record.createdAt);
  }
  get updatedAt() {
    return iso(this.record.updatedAt);
  }
  get publishedAt() {
    return isoOrNull(this.record.publishedAt);
  }
  get totalInventory() {
    return this.record.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0);
  }
  get variantsCount() {
    return { count: this.record.variants.length, precision: 'EXACT' };
  }
  variants(args: ConnectionArgs, context: RequestContext, info: GraphQLResolveInfo) {
    const product = this.record;
    return connection(product.variants, byId<VariantRecord>(), args, context, info, (variant) =>
      variantView(variant, product),
    );
  }
}

class VariantView extends NodeView<VariantRecord> {
  readonly __typename = 'ProductVariant';
  constructor(
    record: VariantRecord,
    private readonly parent: ProductRecord,
  ) {
    super(record);
  }
  get title() {
    return this.record.title;
  }
  get displayName() {
    return `${this.parent.title} - ${this.record.title}`;
  }
  get sku() {
    return this.record.sku;
  }
  get price() {
    return this.record.price;
  }
  get inventoryQuantity() {
    return this.record.inventoryQuantity;
  }
  get createdAt() {
    return iso(this.record.createdAt);
  }
  get updatedAt() {
    return iso(this.record.updatedAt);
  }
  product() {
    return productView(this.parent);
  }
}

export const customerView = (record: CustomerRecord): object => new CustomerView(record);
export const orderView = (record: OrderRecord): object => new OrderView(record);
export const lineItemView = (record: LineItemRecord): object => new LineItemView(record);
export const productView = (record: ProductRecord): object => new ProductView(record);
export const variantView = (record: VariantRecord, product: ProductRecord): object => new VariantView(record, product);
