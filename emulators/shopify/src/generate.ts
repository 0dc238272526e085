// Realistic, deterministic records: one PRNG per record seeded with (seed, resource, index), so the i-th customer of a
// seed is the same on every machine whatever else was generated. Times spread over the year before `now`, so about
// five in six orders are older than 60 days (what a token without read_all_orders cannot see).
import { random, type Random } from './random';
import {
  type CustomerRecord,
  type CustomerState,
  type FinancialStatus,
  type FulfillmentStatus,
  type LineItemRecord,
  money,
  type OrderRecord,
  type ProductRecord,
  type ProductStatus,
  toSecond,
  type VariantRecord,
} from './records';

const FIRST = ['Ava', 'Liam', 'Noor', 'Mateo', 'Yuki', 'Zara', 'Ines', 'Omar', 'Lena', 'Kofi', 'Mei', 'Hugo', 'Sana'];
const LAST = ['Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Silva', 'Novak', 'Haddad', 'Kowalski', 'Byrne', 'Rossi'];
const DOMAINS = ['example.com', 'mail.test', 'shopper.example', 'inbox.example.org'];
const CUSTOMER_TAGS = ['vip', 'newsletter', 'wholesale', 'returning', 'b2b', 'local'];
const ORDER_TAGS = ['gift', 'priority', 'pos', 'subscription', 'review-requested'];
const PRODUCT_TAGS = ['summer', 'winter', 'bestseller', 'organic', 'limited', 'sale'];
const ADJECTIVES = ['Classic', 'Everyday', 'Trail', 'Studio', 'Coastal', 'Heritage', 'Alpine', 'Urban'];
const NOUNS = ['Hoodie', 'Mug', 'Backpack', 'Sneaker', 'Candle', 'Notebook', 'Water Bottle', 'Beanie', 'Tote'];
const TYPES: Record<string, string> = {
  Hoodie: 'Apparel',
  Beanie: 'Apparel',
  Sneaker: 'Footwear',
  Mug: 'Kitchen',
  'Water Bottle': 'Kitchen',
  Candle: 'Home',
  Notebook: 'Stationery',
  Backpack: 'Bags',
  Tote: 'Bags',
};
const VENDORS = ['Northwind', 'Fjord & Co', 'Kestrel Goods', 'Atlas Supply'];
const SIZES = ['S', 'M', 'L', 'XL'];
const COLOURS = ['Black', 'Sand', 'Forest', 'Navy'];

const YEAR_MS = 365 * 86_400_000;

/** Ids grow by 1 to this gap, like Shopify's shared id sequences. */
const MAX_GAP = 40;

/** Next ids of each kind; the starts look like real Shopify ids (13 digits). */
export class IdSequence {
  private next: number;
  constructor(first: number) {
    this.next = first;
  }
  take(rng: Random): number {
    const id = this.next;
    this.next += 1 + rng.int(MAX_GAP);
    return id;
  }
}

export interface Ids {
  customers: IdSequence;
  orders: IdSequence;
  products: IdSequence;
  lineItems: IdSequence;
  variants: IdSequence;
}

export function newIds(): Ids {
  return {
    customers: new IdSequence(7_412_000_000_001),
    orders: new IdSequence(5_903_000_000_001),
    products: new IdSequence(8_120_000_000_001),
    lineItems: new IdSequence(14_300_000_000_001),
    variants: new IdSequence(44_780_000_000_001),
  };
}

export interface Times {
  createdAt: number;
  updatedAt: number;
}

/** A creation in the year before `now` and a modification between it and `now`. */
export function spreadTimes(rng: Random, now: number): Times {
  const createdAt = toSecond(now - Math.floor(rng.next() * YEAR_MS));
  const updatedAt = toSecond(createdAt + Math.floor(rng.next() ** 2 * (now - createdAt)));
  return { createdAt, updatedAt };
}

function tags(rng: Random, pool: readonly string[]): string[] {
  return pool.filter(() => rng.next() < 0.18).sort();
}

export function makeCustomer(seed: number, index: number, ids: Ids, times: Times | ((rng: Random) => Times)) {
  const rng = random(seed, 'customer', index);
  const id = ids.customers.take(rng);
  const { createdAt, updatedAt } = typeof times === 'function' ? times(rng) : times;
  const firstName = rng.pick(FIRST);
  const lastName = rng.pick(LAST);
  const record: CustomerRecord = {
    id,
    createdAt,
    updatedAt,
    writtenAt: updatedAt,
    email: `${firstName}.${lastName}.${id % 100_000}@${rng.pick(DOMAINS)}`.toLowerCase(),
    firstName,
    lastName,
    phone: rng.next() < 0.6 ? `+1555${String(1_000_000 + rng.int(8_999_999)).slice(0, 7)}` : null,
    note: rng.next() < 0.1 ? 'Prefers email contact' : null,
    tags: tags(rng, CUSTOMER_TAGS),
    state: rng.pick<CustomerState>(['ENABLED', 'ENABLED', 'ENABLED', 'DISABLED', 'INVITED']),
    verifiedEmail: rng.next() < 0.85,
    numberOfOrders: 0,
    amountSpent: '0.00',
  };
  return record;
}

export function makeProduct(seed: number, index: number, ids: Ids, times: Times | ((rng: Random) => Times)) {
  const rng = random(seed, 'product', index);
  const id = ids.products.take(rng);
  const { createdAt, updatedAt } = typeof times === 'function' ? times(rng) : times;
  const noun = rng.pick(NOUNS);
  const title = `${rng.pick(ADJECTIVES)} ${noun}`;
  const basePrice = 800 + rng.int(12_000);
  const options = noun === 'Hoodie' || noun === 'Sneaker' || noun === 'Beanie' ? SIZES : COLOURS;
  const variants: VariantRecord[] = options.slice(0, 1 + rng.int(options.length)).map((option) => ({
    id: ids.variants.take(rng),
    title: option,
    sku: `${noun.slice(0, 3).toUpperCase()}-${id % 100_000}-${option.slice(0, 2).toUpperCase()}`,
    price: money(basePrice + (option === 'XL' ? 200 : 0)),
    inventoryQuantity: rng.int(120),
    createdAt,
    updatedAt,
  }));
  const status = rng.pick<ProductStatus>(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'DRAFT', 'ARCHIVED']);
  const record: ProductRecord = {
    id,
    createdAt,
    updatedAt,
    writtenAt: updatedAt,
    title,
    handle: `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id % 100_000}`,
    status,
    vendor: rng.pick(VENDORS),
    productType: TYPES[noun],
    tags: tags(rng, PRODUCT_TAGS),
    publishedAt: status === 'ACTIVE' ? createdAt : null,
    variants,
  };
  return record;
}

export interface OrderContext {
  number: number;
  customers: readonly CustomerRecord[];
  products: readonly ProductRecord[];
}

export function makeOrder(
  seed: number,
  index: number,
  ids: Ids,
  context: OrderContext,
  times: Times | ((rng: Random) => Times),
): OrderRecord {
  const rng = random(seed, 'order', index);
  const id = ids.orders.take(rng);
  const { createdAt, updatedAt } = typeof times === 'function' ? times(rng) : times;
  const customer = context.customers.length > 0 && rng.next() < 0.92 ? rng.pick(context.customers) : undefined;
  const lineItems: LineItemRecord[] = [];
  const lines = context.products.length > 0 ? 1 + rng.int(4) : 0;
  for (let i = 0; i < lines; i++) {
    const product = rng.pick(context.products);
    const variant = rng.pick(product.variants);
    lineItems.push({
      id: ids.lineItems.take(rng),
      title: product.title,
      variantTitle: variant.title,
      sku: variant.sku,
      quantity: 1 + rng.int(3),
      price: variant.price,
      productId: product.id,
      variantId: variant.id,
    });
  }
  const cancelled = rng.next() < 0.04;
  const financialStatus: FinancialStatus = cancelled
    ? 'VOIDED'
    : rng.pick<FinancialStatus>(['PAID', 'PAID', 'PAID', 'PAID', 'PENDING', 'REFUNDED', 'PARTIALLY_REFUNDED']);
  const fulfillmentStatus = rng.pick<FulfillmentStatus>([
    'FULFILLED',
    'FULFILLED',
    'UNFULFILLED',
    'PARTIALLY_FULFILLED',
  ]);
  const order: OrderRecord = {
    id,
    createdAt,
    updatedAt,
    writtenAt: updatedAt,
    number: context.number,
    email: customer?.email ?? null,
    customerId: customer?.id ?? null,
    processedAt: createdAt,
    cancelledAt: cancelled ? updatedAt : null,
    closedAt: cancelled || fulfillmentStatus === 'FULFILLED' ? updatedAt : null,
    financialStatus,
    fulfillmentStatus,
    test: rng.next() < 0.02,
    note: rng.next() < 0.08 ? 'Leave at the back door' : null,
    tags: tags(rng, ORDER_TAGS),
    lineItems,
  };
  if (customer) {
    customer.numberOfOrders++;
    customer.amountSpent = money(Math.round(Number(customer.amountSpent) * 100) + totalCents(order));
  }
  return order;
}

export function totalCents(order: OrderRecord): number {
  return order.lineItems.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0);
}
