// The event object, with exactly the fields of Stripe's own sample (fixtures/event.json; see shape.ts).
import fixture from '../../fixtures/event.json';
import { PINNED_API_VERSION } from '../http';
import { fixtureShape } from '../shape';

const EVENT_SHAPE = fixtureShape('event', fixture);

/** The event types the emulator emits. */
export type EventType =
  | 'customer.created'
  | 'customer.updated'
  | 'customer.deleted'
  | 'customer.subscription.created'
  | 'customer.subscription.updated'
  | 'customer.subscription.deleted'
  | 'customer.subscription.paused'
  | 'customer.subscription.trial_will_end'
  | 'invoice.created'
  | 'invoice.updated'
  | 'invoice.deleted'
  | 'invoice.finalized'
  | 'invoice.paid'
  | 'invoice.payment_succeeded'
  | 'invoice.payment_failed'
  | 'invoice.voided'
  | 'charge.succeeded'
  | 'charge.failed'
  | 'charge.updated'
  | 'charge.refunded';

/** The API request that caused an event; both null for changes made outside the API (the control endpoints). */
export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

/** Where an event came from: the request, and the account of its key (the default account when absent, as for
 * the control endpoints). The account picks the webhook endpoints the event goes to; the event does not show it. */
export interface EventOrigin extends EventRequest {
  account?: string;
}

export const NO_REQUEST: EventOrigin = { id: null, idempotency_key: null };

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: object; previous_attributes?: object };
  livemode: false;
  pending_webhooks: number;
  request: EventRequest;
  type: EventType;
}

export interface EventInput {
  id: string;
  type: EventType;
  created: number;
  object: object;
  /** The changed fields' old values (updates only). */
  previous?: object;
  request?: EventOrigin;
}

/** Writes replace objects rather than change them, so `data.object` stays the snapshot of its write. */
export function makeEvent(input: EventInput): StripeEvent {
  const request = input.request ?? NO_REQUEST;
  const data = {
    object: input.object,
    ...(input.previous === undefined ? {} : { previous_attributes: input.previous }),
  };
  return EVENT_SHAPE.shape({
    id: input.id,
    object: 'event',
    api_version: PINNED_API_VERSION,
    created: input.created,
    data,
    livemode: false,
    // Deliveries are not counted back into the event (see the README), so none is shown as pending.
    pending_webhooks: 0,
    request: { id: request.id, idempotency_key: request.idempotency_key },
    type: input.type,
  });
}
