// Generated subscriptions, invoices and charges: Stripe's field sets, determinism, the status mix and links.
import chargeFixture from '../fixtures/charge.json';
import invoiceFixture from '../fixtures/invoice.json';
import subscriptionFixture from '../fixtures/subscription.json';
import { generateBilling } from './billing';
import { resolveCounts } from './counts';
import { customerId } from './customers/generate';

const NOW = Date.UTC(2026, 0, 15, 12) / 1000;
const DAY = 86_400;
const counts = resolveCounts({ customers: 250 }, 250);
const billing = generateBilling(1, counts, NOW);
const subscriptions = billing.subscriptions.all();
const invoices = billing.invoices.all();
const charges = billing.charges.all();
const sortedKeys = (value: object): string[] => Object.keys(value).sort();

describe('generated billing objects', () => {
  it('carry exactly the key set of Stripe sample of each object, id and object first', () => {
    const samples: [object[], object][] = [
      [subscriptions, subscriptionFixture],
      [invoices, invoiceFixture],
      [charges, chargeFixture],
    ];
    for (const [objects, fixture] of samples) {
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        expect(sortedKeys(object)).toEqual(sortedKeys(fixture));
        expect(Object.keys(object).slice(0, 2)).toEqual(['id', 'object']);
      }
    }
  });

  it('derive their counts from the customers, and are the same for a seed and different for another', () => {
    expect(counts).toEqual({ customers: 250, subscriptions: 150, invoices: 300, charges: 250 });
    const again = generateBilling(1, counts, NOW);
    expect(again.subscriptions.all()).toEqual(subscriptions);
    expect(again.invoices.all()).toEqual(invoices);
    expect(again.charges.all()).toEqual(charges);
    expect(generateBilling(2, counts, NOW).subscriptions.all()[0].id).not.toBe(subscriptions[0].id);
    expect(subscriptions[0].id).toMatch(/^sub_[0-9A-Za-z]{24}$/);
    expect(invoices[0].id).toMatch(/^in_[0-9A-Za-z]{24}$/);
    expect(charges[0].id).toMatch(/^ch_[0-9A-Za-z]{24}$/);
  });

  it('mix trials (current and converted), active, past_due and canceled subscriptions', () => {
    const withStatus = (status: string) => subscriptions.filter((sub) => sub.status === status);
    for (const sub of withStatus('trialing')) {
      expect(sub.trial_end).toBeGreaterThan(NOW);
      expect(sub.trial_start).toBe(sub.created);
      expect(sub.canceled_at).toBeNull();
    }
    const active = withStatus('active');
    const converted = active.filter((sub) => sub.trial_end !== null);
    expect(converted.length).toBeGreaterThan(10);
    converted.forEach((sub) => expect(sub.trial_end).toBeLessThan(NOW));
    expect(active.length - converted.length).toBeGreaterThan(10);
    for (const sub of withStatus('canceled')) {
      expect(sub.canceled_at).toBe(sub.ended_at);
      expect(sub.canceled_at).toBeLessThan(NOW);
    }
    const counted = ['trialing', 'past_due', 'canceled', 'incomplete_expired'].map(
      (status) => withStatus(status).length,
    );
    counted.forEach((count) => expect(count).toBeGreaterThan(2));
  });

  it('link subscriptions, invoices and charges to generated customers and to each other', () => {
    const customerIds = new Set(Array.from({ length: 250 }, (_, i) => customerId(1, i)));
    const subscriptionIds = new Map(subscriptions.map((sub) => [sub.id, sub]));
    for (const invoice of invoices) {
      const sub = subscriptionIds.get(invoice.subscription ?? '');
      expect(invoice.customer).toBe(sub?.customer);
      expect(invoice.lines).toMatchObject({ object: 'list', has_more: false, url: `/v1/invoices/${invoice.id}/lines` });
    }
    subscriptions.forEach((sub) => expect(customerIds.has(sub.customer)).toBe(true));
    charges.forEach((charge) => expect(customerIds.has(charge.customer ?? '')).toBe(true));
    const latest = subscriptions.map((sub) => sub.latest_invoice);
    expect(new Set(latest).size).toBe(subscriptions.length);
    latest.forEach((id) => expect(billing.invoices.retrieve(id ?? '')).toBeDefined());
    const statuses = new Set(invoices.map((invoice) => invoice.status));
    expect([...statuses].sort()).toEqual(['draft', 'open', 'paid', 'uncollectible', 'void']);
    expect(new Set(charges.map((charge) => charge.status))).toEqual(new Set(['failed', 'succeeded']));
    expect(invoices.every((invoice) => invoice.created <= NOW && invoice.created > NOW - 3 * 365 * DAY)).toBe(true);
  });

  it('refuse counts that cannot be linked', () => {
    expect(() => resolveCounts({ customers: 0, subscriptions: 3 }, 250)).toThrow(RangeError);
    expect(() => resolveCounts({ subscriptions: 0, invoices: 3 }, 250)).toThrow(RangeError);
    expect(resolveCounts({ customers: 10, invoices: 0 }, 250)).toEqual({
      customers: 10,
      subscriptions: 6,
      invoices: 0,
      charges: 10,
    });
  });
});
