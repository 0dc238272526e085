// Subscriptions, invoices and charges written through the official client, and the events Stripe sends for them:
// each event's data.object is the object as the write left it (previous_attributes for updates), in the order
// Stripe appends them, so an incremental sync from /v1/events sees every billing object change.
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/src';

const START = Date.UTC(2026, 0, 15, 12) / 1000;
const DAY = 86_400;

describe('Stripe emulator: billing writes and their events through stripe-node', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const control = async <T>(path: string, body?: object): Promise<T> => {
    const init: RequestInit = body
      ? { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : { method: 'GET' };
    const response = await fetch(`${emulator.url}/_emulator${path}`, init);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  /** Events after `since` (an event id), oldest first: the order they happened in. */
  const eventsSince = async (since?: string): Promise<Stripe.Event[]> => {
    const all = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    const end = since === undefined ? all.length : all.findIndex((event) => event.id === since);
    return all.slice(0, end).reverse();
  };
  const lastEventId = async (): Promise<string | undefined> => (await stripe.events.list({ limit: 1 })).data[0]?.id;
  // Customers made through the API have no card: each write below names one (`pm_card_visa`, `tok_visa`).
  const newCustomer = () => stripe.customers.create({ email: 'buyer@example.test', name: 'Buyer' });

  beforeEach(async () => {
    emulator = await startStripeEmulator({ customers: 20, seed: 7, clock: () => START * 1000 });
    stripe = new Stripe('sk_test_tributary', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await control('/clock', { now: START });
  });
  afterEach(() => emulator.close());

  it('creates a paid subscription: subscription.created, invoice created, finalized and paid, a succeeded charge', async () => {
    const customer = await newCustomer();
    const since = await lastEventId();
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: 'price_pro_monthly', quantity: 2 }],
      default_payment_method: 'pm_card_visa',
      metadata: { crm: '42' },
    });
    expect(sub).toMatchObject({ customer: customer.id, status: 'active', metadata: { crm: '42' }, created: START });
    expect(sub.items.data[0]).toMatchObject({
      quantity: 2,
      current_period_start: START,
      current_period_end: START + 30 * DAY,
    });
    const events = await eventsSince(since);
    expect(events.map((event) => event.type)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'charge.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const invoice = await stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 5800, customer: customer.id, subscription: sub.id });
    expect(invoice.billing_reason).toBe('subscription_create');
    expect(events[1].data.object).toMatchObject({ id: invoice.id, status: 'draft', number: null });
    expect(events[2].data.object).toMatchObject({ id: invoice.id, status: 'open', number: invoice.number });
    expect(events[4].data.object).toEqual(JSON.parse(JSON.stringify(invoice)));
    const charge = events[3].data.object as Stripe.Charge;
    expect(charge).toMatchObject({ amount: 5800, customer: customer.id, status: 'succeeded', paid: true });
    expect((await stripe.charges.list({ customer: customer.id })).data.map((c) => c.id)).toEqual([charge.id]);
    expect((await stripe.subscriptions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([sub.id]);
  });

  it('cancels a deleted customer’s subscriptions first, as Stripe does', async () => {
    const customer = await newCustomer();
    const card = { default_payment_method: 'pm_card_visa' };
    const paying = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: 'price_pro_monthly' }],
      ...card,
    });
    const trialing = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: 'price_pro_yearly' }],
      trial_period_days: 30,
    });
    await control('/clock', { advance: 60 });
    const since = await lastEventId();
    await stripe.customers.del(customer.id);
    const events = await eventsSince(since);
    expect(events.map((event) => [event.type, (event.data.object as { id: string }).id])).toEqual([
      ['customer.subscription.deleted', trialing.id],
      ['customer.subscription.deleted', paying.id],
      ['customer.deleted', customer.id],
    ]);
    for (const id of [paying.id, trialing.id]) {
      expect(await stripe.subscriptions.retrieve(id)).toMatchObject({ status: 'canceled', ended_at: START + 60 });
    }
  });

  it('changes generated objects in bulk through the control API, each change with its event', async () => {
    const since = await lastEventId();
    const subs = await control<{ data: Stripe.Subscription[] }>('/subscriptions/update', { count: 3 });
    expect(subs.data.map((sub) => sub.metadata.tributary_revision)).toEqual(['1', '1', '1']);
    expect(subs.data[0].metadata.tributary_index).toEqual(expect.any(String));
    const invoices = await control<{ data: Stripe.Invoice[] }>('/invoices/update', { count: 2 });
    const [charge] = (await stripe.charges.list({ limit: 1 })).data;
    const charges = await control<{ data: Stripe.Charge[] }>('/charges/update', { ids: [charge.id] });
    const canceled = await control<{ data: Stripe.Subscription[] }>('/subscriptions/cancel', { count: 2 });
    expect(canceled.data.map((sub) => sub.status)).toEqual(['canceled', 'canceled']);
    const drafts = (await stripe.invoices.list({ status: 'draft', limit: 100 })).data;
    const deleted = await control<{ deleted: string[] }>('/invoices/delete', { count: 1 });
    expect(drafts.map((draft) => draft.id)).toContain(deleted.deleted[0]);
    await expect(stripe.invoices.retrieve(deleted.deleted[0])).rejects.toMatchObject({ statusCode: 404 });

    const events = await eventsSince(since);
    expect(events.map((event) => event.type)).toEqual([
      ...Array(3).fill('customer.subscription.updated'),
      ...Array(2).fill('invoice.updated'),
      'charge.updated',
      ...Array(2).fill('customer.subscription.deleted'),
      'invoice.deleted',
    ]);
    expect(events[3].data).toEqual({
      object: invoices.data[0],
      previous_attributes: { metadata: { tributary_revision: null } },
    });
    expect(events[5].data.object).toEqual(charges.data[0]);
    const [paid] = (await stripe.invoices.list({ status: 'paid', limit: 1 })).data;
    const refused = await fetch(`${emulator.url}/_emulator/invoices/delete`, {
      method: 'POST',
      body: JSON.stringify({ ids: [paid.id] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(refused.status).toBe(400);
  });

  it('refuses a subscription without a card or trial, and an unknown price, as Stripe does', async () => {
    const customer = await stripe.customers.create({ email: 'nocard@example.test' });
    await expect(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: 'price_pro_monthly' }] }),
    ).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining('no attached payment source') });
    await expect(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: 'price_nope' }], trial_period_days: 7 }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'items[0][price]', code: 'resource_missing' });
    await expect(
      stripe.subscriptions.create({ customer: 'cus_missing', items: [{ price: 'price_pro_monthly' }] }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'customer', code: 'resource_missing' });
  });

  it('walks an invoice from draft to paid: created, items update it, finalized, paid with a charge', async () => {
    const customer = await newCustomer();
    const since = await lastEventId();
    const draft = await stripe.invoices.create({ customer: customer.id, description: 'Setup', metadata: { job: '1' } });
    expect(draft).toMatchObject({ status: 'draft', amount_due: 0, subscription: null, parent: null, number: null });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 1500, currency: 'usd' });
    const updated = await stripe.invoices.update(draft.id, { description: 'Setup fee' });
    const finalized = await stripe.invoices.finalizeInvoice(draft.id);
    expect(finalized).toMatchObject({ status: 'open', amount_due: 1500, amount_remaining: 1500 });
    expect(finalized.number).toMatch(/^[0-9A-F]{8}-0001$/);
    await expect(stripe.invoices.finalizeInvoice(draft.id)).rejects.toMatchObject({ statusCode: 400 });
    const paid = await stripe.invoices.pay(draft.id, { payment_method: 'pm_card_visa' });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1500, amount_remaining: 0 });
    await expect(stripe.invoices.pay(draft.id)).rejects.toMatchObject({ statusCode: 400 });

    const events = await eventsSince(since);
    expect(events.map((event) => event.type)).toEqual([
      'invoice.created',
      'invoice.updated',
      'invoice.updated',
      'invoice.finalized',
      'charge.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    expect(events[1].data.previous_attributes).toMatchObject({ amount_due: 0, total: 0 });
    expect(events[2].data).toEqual({
      object: JSON.parse(JSON.stringify(updated)),
      previous_attributes: { description: 'Setup' },
    });
    expect(events[5].data.object).toEqual(JSON.parse(JSON.stringify(paid)));
  });

  it('deletes only drafts: invoice.deleted, then 404; a finalized invoice is refused', async () => {
    const customer = await newCustomer();
    const draft = await stripe.invoices.create({ customer: customer.id });
    const other = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoices.finalizeInvoice(other.id);
    const since = await lastEventId();
    await expect(stripe.invoices.del(draft.id)).resolves.toEqual(
      expect.objectContaining({ id: draft.id, object: 'invoice', deleted: true }),
    );
    await expect(stripe.invoices.retrieve(draft.id)).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    await expect(stripe.invoices.del(other.id)).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('You can only delete draft invoices'),
    });
    const events = await eventsSince(since);
    expect(events.map((event) => [event.type, (event.data.object as { id: string }).id])).toEqual([
      ['invoice.deleted', draft.id],
    ]);
    expect(events[0].data.object).toMatchObject({ status: 'draft' });
    const listed = await stripe.invoices.list({ customer: customer.id });
    expect(listed.data.map((invoice) => invoice.id)).toEqual([other.id]);
  });

  it('charges, updates and refunds: charge.succeeded, charge.updated, charge.refunded; a declined card fails', async () => {
    const customer = await newCustomer();
    const since = await lastEventId();
    const charge = await stripe.charges.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      source: 'tok_visa',
    });
    expect(charge).toMatchObject({ status: 'succeeded', amount: 2000, amount_refunded: 0, refunded: false });
    const updated = await stripe.charges.update(charge.id, { metadata: { order: 'A1' } });
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 500 });
    expect(refund).toMatchObject({ object: 'refund', amount: 500, charge: charge.id, status: 'succeeded' });
    const rest = await stripe.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(1500);
    await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({
      statusCode: 400,
      code: 'charge_already_refunded',
    });
    await expect(
      stripe.charges.create({ amount: 900, currency: 'usd', customer: customer.id, source: 'tok_chargeDeclined' }),
    ).rejects.toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined' });
    await expect(stripe.charges.create({ amount: 10, currency: 'usd', source: 'tok_visa' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'amount_too_small',
    });

    const events = await eventsSince(since);
    expect(events.map((event) => event.type)).toEqual([
      'charge.succeeded',
      'charge.updated',
      'charge.refunded',
      'charge.refunded',
      'charge.failed',
    ]);
    expect(events[1].data).toEqual({
      object: JSON.parse(JSON.stringify(updated)),
      previous_attributes: { metadata: { order: null } },
    });
    expect(events[3].data.object).toMatchObject({ amount_refunded: 2000, refunded: true });
    expect(events[3].data.previous_attributes).toMatchObject({ amount_refunded: 500, refunded: false });
    expect((await stripe.charges.retrieve(charge.id)).refunds?.data.map((r) => r.id)).toEqual([refund.id, rest.id]);
  });
});
