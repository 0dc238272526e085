// The emulator's webhooks: the endpoints accounts register.
import { WebhookEndpoints } from './endpoints';

export class Webhooks {
  readonly endpoints: WebhookEndpoints;

  constructor(seed: number) {
    this.endpoints = new WebhookEndpoints(seed);
  }

  reset(seed: number): void {
    this.endpoints.reset(seed);
  }
}
