import { StripeWebhookEventEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * How long a delivered event id is remembered. Stripe retries a failed delivery for up to three days;
 * a week covers those retries with room to spare. Older rows are pruned; a later redelivery (a manual
 * "resend" from the dashboard) would be applied again, which applying an event by id makes harmless.
 */
export const STRIPE_WEBHOOK_DEDUPE_DAYS = 7;

const PRUNE_BATCH = 5_000;

/** The dedupe table of Stripe webhook deliveries (stripe_webhook_events), one row per (source, event id). */
@Injectable()
export class StripeWebhookEventsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Records the event in the caller's transaction; false when it was recorded before (a duplicate). A
   * concurrent delivery of the same event waits on the key until this transaction ends, then sees it.
   */
  async recordIfNew(em: EntityManager, sourceId: string, eventId: string): Promise<boolean> {
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(StripeWebhookEventEntity)
      .values({ sourceId, eventId, receivedAt: new Date() })
      .orIgnore()
      .returning(['eventId'])
      .execute();
    return (inserted.raw as unknown[]).length === 1;
  }

  /** Deletes rows received before `before`, in batches; returns how many went. */
  async pruneReceivedBefore(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: unknown[] = await this.db.query(
        `DELETE FROM stripe_webhook_events WHERE ctid IN (
           SELECT ctid FROM stripe_webhook_events WHERE received_at < $1 LIMIT ${PRUNE_BATCH}
         ) RETURNING 1`,
        [before],
      );
      total += rows.length;
      if (rows.length < PRUNE_BATCH) {
        return total;
      }
    }
  }
}
