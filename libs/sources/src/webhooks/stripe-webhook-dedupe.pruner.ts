import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { STRIPE_WEBHOOK_DEDUPE_DAYS, StripeWebhookEventsStore } from './stripe-webhook-events.store';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Ingest prunes the webhook dedupe table at boot and hourly (every replica; the deletes are idempotent). */
@Injectable()
export class StripeWebhookDedupePruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StripeWebhooks');
  private timer?: NodeJS.Timeout;

  constructor(private readonly events: StripeWebhookEventsStore) {}

  onApplicationBootstrap(): void {
    void this.prune();
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes dedupe rows older than the retention; failures are logged and retried at the next tick. */
  async prune(now = Date.now()): Promise<number> {
    try {
      const deleted = await this.events.pruneReceivedBefore(new Date(now - STRIPE_WEBHOOK_DEDUPE_DAYS * DAY_MS));
      if (deleted > 0) {
        this.logger.log(`pruned ${deleted} Stripe webhook dedupe rows older than ${STRIPE_WEBHOOK_DEDUPE_DAYS} days`);
      }
      return deleted;
    } catch (error) {
      this.logger.warn({ err: error }, 'pruning the Stripe webhook dedupe table failed; retrying in an hour');
      return 0;
    }
  }
}
