import type Stripe from 'stripe';
import { trialOf } from '../../libs/connectors/src/stripe/stripe.objects';
import { createStripeSource, liveRecords, syncAndWait } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

type Listed = { id: string } & Record<string, unknown>;

/**
 * Everything the emulator holds for each object, as it sends it on the wire (its control API; stored payloads
 * must equal the JSON Stripe sends, not a client's parsed view of it). Trials derive from subscriptions.
 */
async function emulatorTruth(stack: SyncStack): Promise<Record<string, Listed[]>> {
  const all = async (object: string): Promise<Listed[]> =>
    ((await (await fetch(`${stack.stripe.url}/_emulator/${object}`)).json()) as { data: Listed[] }).data;
  const subscriptions = await all('subscriptions');
  return {
    customers: await all('customers'),
    subscriptions,
    invoices: await all('invoices'),
    charges: await all('charges'),
    trials: subscriptions.flatMap((s) => trialOf(s as unknown as Stripe.Subscription).map((r) => r.payload as Listed)),
  };
}

// Every Stripe object a source syncs, against the emulator's own listing of it (issue 9 point 1).
describe('Stripe objects, end to end', () => {
  let stack: SyncStack;
  let truth: Record<string, Listed[]>;
  let sourceId: string;

  beforeAll(async () => {
    stack = await startSyncStack({ customers: 1000 });
    truth = await emulatorTruth(stack);
    sourceId = await createStripeSource(stack, 'Billing, all objects');
  }, 120_000);
  afterAll(() => stack?.close());

  it('lists a realistic mix: canceled subscriptions included, trials running, converted and not', () => {
    const statuses = new Set(truth.subscriptions.map((s) => s.status));
    expect(statuses).toContain('canceled');
    expect(statuses).toContain('trialing');
    const converted = new Set(truth.trials.map((t) => t.converted));
    expect([...converted].sort()).toEqual([false, null, true].sort());
    expect(truth.invoices.length).toBeGreaterThan(0);
    expect(truth.charges.length).toBeGreaterThan(0);
  });

  it.each(['customers', 'subscriptions', 'invoices', 'charges', 'trials'])(
    '%s: a first sync equals the emulator exactly, and a re-run changes nothing',
    async (object) => {
      const expected = truth[object];
      const first = await syncAndWait(stack, sourceId, 180_000, object);
      expect(first).toMatchObject({
        status: 'SUCCEEDED',
        recordsInserted: expected.length,
        recordsUpdated: 0,
        recordsDeleted: 0,
        error: null,
      });
      const stored = await liveRecords(sourceId, object);
      expect(stored.size).toBe(expected.length);
      for (const item of expected) {
        expect(stored.get(item.id)).toEqual(item);
      }
      const second = await syncAndWait(stack, sourceId, 180_000, object);
      expect(second).toMatchObject({
        status: 'SUCCEEDED',
        recordsInserted: 0,
        recordsUpdated: 0,
        recordsUnchanged: expected.length,
        recordsDeleted: 0,
      });
    },
    400_000,
  );
});
