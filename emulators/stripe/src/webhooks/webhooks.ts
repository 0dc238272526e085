// The emulator's webhooks: the endpoints accounts register, and delivery of each event to them.
import type { StripeEvent } from '../events/event';
import { type RetryPolicy, WebhookDelivery } from './delivery';
import { WebhookEndpoints } from './endpoints';

export class Webhooks {
  readonly endpoints: WebhookEndpoints;
  readonly delivery: WebhookDelivery;

  constructor(seed: number, nowSeconds: () => number, retry?: RetryPolicy) {
    this.endpoints = new WebhookEndpoints(seed);
    this.delivery = new WebhookDelivery(nowSeconds, retry);
  }

  /** An event of `account` goes to the account's endpoints that are enabled and take its type at that moment. */
  dispatch(event: StripeEvent, account: string): void {
    this.delivery.send(event, this.endpoints.receivers(account, event.type));
  }

  /** Forgets endpoints, options and records; deliveries under way are abandoned. */
  reset(seed: number): void {
    this.endpoints.reset(seed);
    this.delivery.reset();
  }
}
