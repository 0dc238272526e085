import Stripe from 'stripe';
import { classifyStripeError } from './stripe.errors';
import { stripeClientOptions, withCallerSignal } from './stripe.connector';

/**
 * The event types a Stripe source's webhook endpoint subscribes to: those that change the objects we sync
 * (customers, subscriptions and their trials, invoices, charges). Listed one by one: Stripe's
 * `enabled_events` takes exact types or `*`, not groups.
 */
export const STRIPE_WEBHOOK_EVENTS = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
  'invoice.created',
  'invoice.updated',
  'invoice.deleted',
  'invoice.finalized',
  'invoice.finalization_failed',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.payment_succeeded',
  'invoice.marked_uncollectible',
  'invoice.voided',
  'invoice.sent',
  'invoice.overdue',
  'charge.succeeded',
  'charge.failed',
  'charge.pending',
  'charge.captured',
  'charge.expired',
  'charge.refunded',
  'charge.updated',
] as const satisfies readonly Stripe.WebhookEndpointCreateParams.EnabledEvent[];

export interface RegisteredStripeEndpoint {
  endpointId: string;
  /** The endpoint's signing secret (`whsec_…`): Stripe shows it in the create answer only. */
  secret: string;
  /** Our earlier endpoints at the same URL, deleted once the new one existed. */
  replaced: string[];
}

/**
 * Creates a webhook endpoint at `url` and deletes every other endpoint of the account at that URL (ours,
 * from earlier registrations), so registering twice leaves one. Created first, deleted after: deliveries
 * never stop, and a crash between the two is repaired by the next registration. Stripe cannot roll a
 * secret through its API, hence a new endpoint rather than an update.
 */
export async function replaceStripeWebhookEndpoint(
  secretKey: string,
  apiBaseUrl: string,
  url: string,
  signal?: AbortSignal,
): Promise<RegisteredStripeEndpoint> {
  const stripe = new Stripe(secretKey, stripeClientOptions(apiBaseUrl));
  try {
    return await withCallerSignal(signal, async () => {
      const created = await stripe.webhookEndpoints.create({
        url,
        enabled_events: [...STRIPE_WEBHOOK_EVENTS],
        description: 'Tributary: changes to customers, subscriptions, invoices and charges',
      });
      if (!created.secret) {
        throw new Error('Stripe answered the endpoint creation without its signing secret');
      }
      const replaced: string[] = [];
      for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) {
        if (endpoint.url === url && endpoint.id !== created.id) {
          await stripe.webhookEndpoints.del(endpoint.id);
          replaced.push(endpoint.id);
        }
      }
      return { endpointId: created.id, secret: created.secret, replaced };
    });
  } catch (error) {
    throw error instanceof Stripe.errors.StripeError ? classifyStripeError(error) : error;
  }
}
