// What every write to subscriptions, invoices and charges works with: the generated lists (which writes extend),
// the customers they belong to, the event log, the clock's now and the request the events name. Routes build one
// per API request; the clock's trial ends build one with no request, as Stripe's own automations have none.
import type { Billing } from './billing';
import type { Customer } from './customers/customer';
import type { CustomerStore } from './customers/store';
import { noSuchObject } from './errors';
import type { EventOrigin, EventType } from './events/event';
import type { EventLog } from './events/log';
import type { CustomerDetails } from './invoices/generate';

export interface BillingWriter {
  seed: number;
  billing: Billing;
  customers: Pick<CustomerStore, 'retrieve'>;
  events: Pick<EventLog, 'append'>;
  /** Unix seconds. */
  now: number;
  request: EventOrigin;
}

/** Appends an event of this write; `previous` only for the types Stripe sends previous_attributes with. */
export function emit(writer: BillingWriter, type: EventType, object: object, previous?: object): void {
  writer.events.append({ type, object, previous, request: writer.request });
}

/** The live customer a write names in `param`; unknown or deleted → Stripe's 400 resource_missing. */
export function liveCustomer(writer: BillingWriter, id: string, param = 'customer'): Customer {
  const customer = writer.customers.retrieve(id);
  if (customer === undefined || 'deleted' in customer) {
    throw noSuchObject('customer', id, param, 400);
  }
  return customer;
}

/** What an invoice copies from its customer. */
export function customerDetails(customer: Customer): CustomerDetails {
  return {
    address: customer.address,
    email: customer.email,
    name: customer.name,
    phone: customer.phone,
    shipping: customer.shipping,
    tax_exempt: customer.tax_exempt,
    invoice_prefix: customer.invoice_prefix,
  };
}
