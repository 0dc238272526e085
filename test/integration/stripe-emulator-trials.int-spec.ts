// Trials move with the emulator's clock, as Stripe's billing runs them: a trial_will_end notice 3 days before the
// end, then at the end the subscription converts (a card: active, a paid invoice and a charge) or follows its
// trial_settings.end_behavior.missing_payment_method (create_invoice: past_due with an open invoice; pause:
// paused; cancel: canceled), each with the events an incremental sync reads.
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type Subscription } from '../../emulators/stripe/src';

const START = Date.UTC(2026, 0, 15, 12) / 1000;
const DAY = 86_400;

describe('Stripe emulator: trials end with the clock, through stripe-node', () => {
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
  const advance = (seconds: number) => control('/clock', { advance: seconds });
  /** Events after `since` (an event id), oldest first. */
  const eventsSince = async (since: string | undefined): Promise<Stripe.Event[]> => {
    const all = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    const end = since === undefined ? all.length : all.findIndex((event) => event.id === since);
    return all.slice(0, end).reverse();
  };
  const lastEventId = async () => (await stripe.events.list({ limit: 1 })).data[0]?.id;
  const of = (events: Stripe.Event[], id: string) =>
    events.filter((event) => (event.data.object as { id: string }).id === id).map((event) => event.type);

  beforeEach(async () => {
    emulator = await startStripeEmulator({ customers: 40, seed: 3, clock: () => START * 1000 });
    stripe = new Stripe('sk_test_tributary', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await control('/clock', { now: START });
  });
  afterEach(() => emulator.close());

  it('starts a trial with a paid 0 invoice, warns 3 days ahead, and converts or not per the trial settings', async () => {
    const customer = await stripe.customers.create({ email: 'trial@example.test' });
    const trial = (behavior: 'cancel' | 'create_invoice' | 'pause', card?: string) =>
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: 'price_starter_monthly' }],
        trial_period_days: 14,
        ...(card ? { default_payment_method: card } : {}),
        trial_settings: { end_behavior: { missing_payment_method: behavior } },
      });
    const before = await lastEventId();
    const converts = await trial('cancel', 'pm_card_visa');
    expect(converts).toMatchObject({ status: 'trialing', trial_start: START, trial_end: START + 14 * DAY });
    const invoices = await trial('create_invoice');
    const pauses = await trial('pause');
    const cancels = await trial('cancel');
    const started = await eventsSince(before);
    expect(of(started, converts.id)).toEqual(['customer.subscription.created']);
    const firstInvoice = await stripe.invoices.retrieve(converts.latest_invoice as string);
    expect(firstInvoice).toMatchObject({ status: 'paid', amount_due: 0, billing_reason: 'subscription_create' });
    expect(of(started, firstInvoice.id)).toEqual([
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);

    const mine = [converts.id, invoices.id, pauses.id, cancels.id];
    let since = await lastEventId();
    await advance(11 * DAY - 1);
    const isMine = (event: Stripe.Event) => mine.includes((event.data.object as { id: string }).id);
    expect((await eventsSince(since)).filter(isMine)).toEqual([]);
    await advance(1);
    const notices = (await eventsSince(since)).filter(isMine);
    expect(notices.map((event) => event.type)).toEqual(Array(4).fill('customer.subscription.trial_will_end'));
    expect(notices[0].data.object).toMatchObject({ status: 'trialing', trial_end: START + 14 * DAY });
    expect(notices[0].created).toBe(START + 11 * DAY);

    since = await lastEventId();
    await advance(3 * DAY);
    const ended = await eventsSince(since);
    expect(ended.filter(isMine).map((event) => event.type)).not.toContain('customer.subscription.trial_will_end');

    const active = await stripe.subscriptions.retrieve(converts.id);
    expect(active.status).toBe('active');
    expect(active.items.data[0]).toMatchObject({
      current_period_start: START + 14 * DAY,
      current_period_end: START + 44 * DAY,
    });
    const renewal = await stripe.invoices.retrieve(active.latest_invoice as string);
    expect(renewal).toMatchObject({ status: 'paid', amount_paid: 900, billing_reason: 'subscription_cycle' });
    expect(of(ended, converts.id)).toEqual(['customer.subscription.updated']);
    const update = ended.find((event) => event.type === 'customer.subscription.updated')!;
    expect(update.data.previous_attributes).toMatchObject({ status: 'trialing' });
    expect(of(ended, renewal.id)).toEqual([
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const charges = ended.filter((event) => event.type === 'charge.succeeded');
    expect(charges.map((event) => event.data.object.amount)).toEqual([900]);

    const pastDue = await stripe.subscriptions.retrieve(invoices.id);
    expect(pastDue.status).toBe('past_due');
    const open = await stripe.invoices.retrieve(pastDue.latest_invoice as string);
    expect(open).toMatchObject({ status: 'open', amount_remaining: 900, attempted: true });
    expect(of(ended, open.id)).toEqual(['invoice.created', 'invoice.finalized', 'invoice.payment_failed']);

    expect((await stripe.subscriptions.retrieve(pauses.id)).status).toBe('paused');
    expect(of(ended, pauses.id)).toEqual(['customer.subscription.updated', 'customer.subscription.paused']);
    const canceled = await stripe.subscriptions.retrieve(cancels.id);
    expect(canceled).toMatchObject({ status: 'canceled', ended_at: START + 14 * DAY, canceled_at: START + 14 * DAY });
    expect(of(ended, cancels.id)).toEqual(['customer.subscription.deleted']);
    const trials = await stripe.subscriptions.list({ customer: customer.id, status: 'trialing' });
    expect(trials.data).toEqual([]);
  });

  it('ends every generated trial once the clock passes it, each notice sent once', async () => {
    const { data } = await control<{ data: Subscription[] }>('/subscriptions');
    const trialing = data.filter((sub) => sub.status === 'trialing');
    expect(trialing.length).toBeGreaterThan(0);
    const since = await lastEventId();
    await advance(31 * DAY);
    const events = await eventsSince(since);
    for (const sub of trialing) {
      const after = await stripe.subscriptions.retrieve(sub.id);
      expect(['active', 'past_due', 'paused', 'canceled']).toContain(after.status);
      const notices = of(events, sub.id).filter((type) => type === 'customer.subscription.trial_will_end');
      // A trial ending within 3 days of generation had its notice before the emulator existed.
      expect(notices).toHaveLength((sub.trial_end as number) - 3 * DAY > START ? 1 : 0);
    }
    expect((await stripe.subscriptions.list({ status: 'trialing' })).data).toEqual([]);
    await advance(DAY);
    expect(await eventsSince(events.at(-1)?.id)).toEqual([]);
  });
});
