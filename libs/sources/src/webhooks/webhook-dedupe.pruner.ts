import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WEBHOOK_DEDUPE_DAYS, WebhookEventsStore } from './webhook-events.store';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Ingest prunes the webhook dedupe tables at boot and hourly (every replica; the deletes are idempotent). */
@Injectable()
export class WebhookDedupePruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private timer?: NodeJS.Timeout;

  constructor(private readonly events: WebhookEventsStore) {}

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
      const deleted = await this.events.pruneReceivedBefore(new Date(now - WEBHOOK_DEDUPE_DAYS * DAY_MS));
      if (deleted > 0) {
        this.logger.log(`pruned ${deleted} webhook dedupe rows older than ${WEBHOOK_DEDUPE_DAYS} days`);
      }
      return deleted;
    } catch (error) {
      this.logger.warn({ err: error }, 'pruning the webhook dedupe tables failed; retrying in an hour');
      return 0;
    }
  }
}
