// How many objects of each kind the emulator generates, and which owner each one belongs to. Owners are
// spread evenly (object i of n belongs to owner floor(i * owners / n)), so every object's owner is known from
// its index alone and the generation stays deterministic for a seed and the counts.

export interface ObjectCounts {
  customers: number;
  subscriptions: number;
  invoices: number;
  charges: number;
}

/** ~0.6 subscription per customer (many customers never subscribe). */
const SUBSCRIPTIONS_PER_CUSTOMER = 0.6;
/** Two invoices per subscription: the first one and one renewal (or a void/draft one). */
const INVOICES_PER_SUBSCRIPTION = 2;
/** One charge per customer. */
const CHARGES_PER_CUSTOMER = 1;

/** Counts not given are derived from the given (or default) customer count. */
export function resolveCounts(given: Partial<ObjectCounts>, defaultCustomers: number): ObjectCounts {
  const customers = given.customers ?? defaultCustomers;
  const subscriptions = given.subscriptions ?? Math.round(customers * SUBSCRIPTIONS_PER_CUSTOMER);
  const counts = {
    customers,
    subscriptions,
    invoices: given.invoices ?? subscriptions * INVOICES_PER_SUBSCRIPTION,
    charges: given.charges ?? customers * CHARGES_PER_CUSTOMER,
  };
  if (counts.customers === 0 && (counts.subscriptions > 0 || counts.charges > 0)) {
    throw new RangeError('subscriptions and charges need customers');
  }
  if (counts.subscriptions === 0 && counts.invoices > 0) {
    throw new RangeError('invoices need subscriptions');
  }
  return counts;
}

/** The owner (0-based) of object `index` of `count`, among `owners` owners. */
export function ownerOf(index: number, count: number, owners: number): number {
  return Math.floor((index * owners) / count);
}

/** The objects of `owner`: indexes [first, end) of `count` spread over `owners`, the inverse of ownerOf. */
export function ownedRange(owner: number, count: number, owners: number): { first: number; end: number } {
  return { first: Math.ceil((owner * count) / owners), end: Math.ceil(((owner + 1) * count) / owners) };
}
