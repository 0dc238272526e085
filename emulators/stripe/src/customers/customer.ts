// The customer object as the pinned API version renders it, with exactly the fields of Stripe's own sample
// (fixtures/customer.json; see shape.ts).
import fixture from '../../fixtures/customer.json';
import { fixtureShape } from '../shape';

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface Discount {
  id: string;
  object: 'discount';
  checkout_session: string | null;
  customer: string | null;
  customer_account: string | null;
  end: number | null;
  invoice: string | null;
  invoice_item: string | null;
  promotion_code: string | null;
  source: { coupon: string | null; type: 'coupon' };
  start: number;
  subscription: string | null;
  subscription_item: string | null;
}

export interface InvoiceSettings {
  custom_fields: { name: string; value: string }[] | null;
  default_payment_method: string | null;
  footer: string | null;
  rendering_options: { amount_tax_display: string | null; template: string | null } | null;
}

export interface Customer {
  id: string;
  object: 'customer';
  address: Address | null;
  balance: number;
  created: number;
  currency: string | null;
  default_source: string | null;
  delinquent: boolean;
  description: string | null;
  discount: Discount | null;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: InvoiceSettings;
  livemode: boolean;
  metadata: Record<string, string>;
  name: string | null;
  next_invoice_sequence: number;
  phone: string | null;
  preferred_locales: string[];
  shipping: { address: Address; name: string; phone: string | null } | null;
  tax_exempt: 'none' | 'exempt' | 'reverse';
  test_clock: string | null;
}

/** What `GET /v1/customers/:id` returns for a deleted customer. */
export interface DeletedCustomer {
  id: string;
  object: 'customer';
  deleted: true;
}

const CUSTOMER_SHAPE = fixtureShape('customer', fixture);

/** The customer with its keys in Stripe's order; throws if its field set differs from the fixture's. */
export function shapeCustomer(customer: Customer): Customer {
  return CUSTOMER_SHAPE.shape(customer);
}

/** The fixture's field names, for tests that compare shapes. */
export function customerFields(): readonly string[] {
  return CUSTOMER_SHAPE.fields;
}
