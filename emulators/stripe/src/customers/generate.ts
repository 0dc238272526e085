// Deterministic sample customers: customer `index` of seed `seed` is the same on every run and does not
// depend on how many others exist, so tests can name expected ids, emails and timestamps.
import { digest, stableId, stableInt, stablePick } from '../ids';
import { type Address, type Customer, type Discount, shapeCustomer } from './customer';

/** 2024-01-01T00:00:00Z. Generated customers start here, about one an hour, so all lie in the past. */
export const GENERATION_EPOCH = 1_704_067_200;
const SPACING_SECONDS = 3_600;

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Linus'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman'];
const PLACES: readonly (Omit<Address, 'line1' | 'line2'> & { street: string })[] = [
  { city: 'Springfield', country: 'US', postal_code: '62701', state: 'IL', street: 'Main Street' },
  { city: 'San Francisco', country: 'US', postal_code: '94103', state: 'CA', street: 'Market Street' },
  { city: 'Toronto', country: 'CA', postal_code: 'M5V 2T6', state: 'ON', street: 'King Street West' },
  { city: 'London', country: 'GB', postal_code: 'EC1A 1BB', state: null, street: 'High Street' },
  { city: 'Berlin', country: 'DE', postal_code: '10115', state: null, street: 'Torstraße' },
  { city: 'Sydney', country: 'AU', postal_code: '2000', state: 'NSW', street: 'George Street' },
];
const LOCALES: readonly string[][] = [[], [], ['en'], ['en-GB'], ['fr-FR'], ['de']];
const CURRENCIES: readonly (string | null)[] = ['usd', 'usd', 'usd', 'eur', 'gbp', null];
const PLANS = ['free', 'starter', 'pro', 'enterprise'];

/** `created` of generated customer `index`: strictly increasing, with a jitter below the spacing. */
export function generatedCreated(seed: number, index: number): number {
  return GENERATION_EPOCH + index * SPACING_SECONDS + stableInt(SPACING_SECONDS - 600, seed, 'created', index);
}

/** The id of generated customer `index`, which subscriptions, invoices and charges refer to. */
export function customerId(seed: number, index: number): string {
  return stableId('cus_', 14, seed, 'customer', index);
}

/** Customer `index` of `seed`, created at `created` (unix seconds), with every field of the fixture. */
export function generateCustomer(seed: number, index: number, created: number): Customer {
  const id = customerId(seed, index);
  const name = `${stablePick(FIRST_NAMES, seed, 'first', index)} ${stablePick(LAST_NAMES, seed, 'last', index)}`;
  const phone =
    stableInt(4, seed, 'phone?', index) === 0
      ? null
      : `+1555${String(stableInt(1e7, seed, 'phone', index)).padStart(7, '0')}`;
  const address = stableInt(5, seed, 'address?', index) === 0 ? null : generateAddress(seed, index);
  return shapeCustomer({
    id,
    object: 'customer',
    address,
    balance: index % 6 === 5 ? -500 * (1 + stableInt(10, seed, 'balance', index)) : 0,
    created,
    currency: stablePick(CURRENCIES, seed, 'currency', index),
    default_source: null,
    delinquent: stableInt(20, seed, 'delinquent', index) === 0,
    description: index % 4 === 3 ? `Imported from the CRM (account ${1000 + index})` : null,
    discount: stableInt(8, seed, 'discount?', index) === 0 ? generateDiscount(seed, index, id, created) : null,
    email: `customer${String(index + 1).padStart(4, '0')}@example.test`,
    invoice_prefix: digest(seed, 'invoice_prefix', index).toString('hex').slice(0, 8).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: stableInt(3, seed, 'pm?', index) === 0 ? stableId('pm_', 24, seed, 'pm', index) : null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: index % 5 === 4 ? {} : { plan: stablePick(PLANS, seed, 'plan', index), tributary_index: String(index) },
    name,
    next_invoice_sequence: 1 + stableInt(12, seed, 'invoices', index),
    phone,
    preferred_locales: [...stablePick(LOCALES, seed, 'locales', index)],
    shipping: address && stableInt(3, seed, 'shipping?', index) === 0 ? { address: { ...address }, name, phone } : null,
    tax_exempt: stableInt(25, seed, 'tax', index) === 0 ? 'exempt' : 'none',
    test_clock: null,
  });
}

function generateAddress(seed: number, index: number): Address {
  const place = stablePick(PLACES, seed, 'place', index);
  return {
    city: place.city,
    country: place.country,
    line1: `${1 + stableInt(999, seed, 'number', index)} ${place.street}`,
    line2: stableInt(4, seed, 'line2?', index) === 0 ? `Suite ${100 + stableInt(900, seed, 'suite', index)}` : null,
    postal_code: place.postal_code,
    state: place.state,
  };
}

function generateDiscount(seed: number, index: number, customer: string, created: number): Discount {
  return {
    id: stableId('di_', 24, seed, 'discount', index),
    object: 'discount',
    checkout_session: null,
    customer,
    customer_account: null,
    end: null,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    source: { coupon: stablePick(['WELCOME10', 'LOYALTY25', 'SPRING2024'], seed, 'coupon', index), type: 'coupon' },
    start: created + 60,
    subscription: null,
    subscription_item: null,
  };
}

/** The fields `POST /v1/customers` sets; the rest of a customer created through the API is Stripe's default. */
export type CustomerInput = Pick<Customer, 'email' | 'name' | 'metadata'>;

/** A customer as `POST /v1/customers` creates it: Stripe's defaults (no address, no balance…) plus `input`. */
export function newCustomer(seed: number, index: number, created: number, input: CustomerInput): Customer {
  return shapeCustomer({
    id: customerId(seed, index),
    object: 'customer',
    address: null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: input.email,
    invoice_prefix: digest(seed, 'invoice_prefix', index).toString('hex').slice(0, 8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata,
    name: input.name,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  });
}
