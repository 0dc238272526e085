import { seedActivity } from './activity';
import { EmulatorState } from './state';

const NOW = Date.UTC(2026, 0, 15, 12);

describe(seedActivity.name, () => {
  const fresh = () => new EmulatorState({ customers: 30, seed: 4, clock: () => NOW });

  it('adds customers who subscribe, trial, buy and get invoiced, each change with its events', () => {
    const state = fresh();
    const summary = seedActivity(state, 12);
    expect(summary).toEqual({ customers: 12, subscriptions: 10, invoices: 14, charges: 8, events: expect.any(Number) });
    const types = new Set(state.events.list().map((entry) => entry.event.type));
    for (const type of [
      'customer.created',
      'customer.updated',
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.trial_will_end',
      'invoice.created',
      'invoice.updated',
      'invoice.finalized',
      'invoice.paid',
      'charge.succeeded',
      'charge.failed',
      'charge.refunded',
    ]) {
      expect(types).toContain(type);
    }
    const seeded = new Set(
      state.customers
        .list()
        .filter((c) => c.metadata.source === 'dev-activity')
        .map((c) => c.id),
    );
    const invoices = state.billing.invoices.all().filter((invoice) => seeded.has(invoice.customer));
    expect(invoices.filter((invoice) => invoice.status === 'draft')).toHaveLength(2);
  });

  it('is deterministic for the seed and the clock', () => {
    const [a, b] = [fresh(), fresh()];
    seedActivity(a);
    seedActivity(b);
    expect(b.events.list().map((entry) => entry.event)).toEqual(a.events.list().map((entry) => entry.event));
  });

  it('leaves trials that convert, cancel and pause once the clock passes them', () => {
    const state = fresh();
    seedActivity(state, 6);
    state.clock.advance(15 * 86_400);
    state.advanceBilling();
    const seeded = new Set(
      state.customers
        .list()
        .filter((c) => c.metadata.source === 'dev-activity')
        .map((c) => c.id),
    );
    const trials = state.billing.subscriptions.all().filter((sub) => seeded.has(sub.customer) && sub.trial_start);
    expect(trials.map((sub) => sub.status).sort()).toEqual(['active', 'canceled', 'paused']);
  });
});
