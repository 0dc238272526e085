import { WEBHOOK_EVENT_ENTITIES } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * How long a delivered event id is remembered. Stripe retries a failed delivery for up to three days, HubSpot
 * ten times over a day; a week covers those retries with room to spare. Older rows are pruned; a later
 * redelivery (a manual "resend") would be applied again, which applying a change by id makes harmless.
 */
export const WEBHOOK_DEDUPE_DAYS = 7;

const PRUNE_BATCH = 5_000;

/** The dedupe tables of webhook deliveries (WEBHOOK_EVENT_ENTITIES), one row per (source, event id). */
@Injectable()
export class WebhookEventsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Records the event in the caller's transaction; false when it was recorded before (a duplicate). A
   * concurrent delivery of the same event waits on the key until this transaction ends, then sees it.
   */
  async recordIfNew(em: EntityManager, app: string, sourceId: string, eventId: string): Promise<boolean> {
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(entityOf(app))
      .values({ sourceId, eventId, receivedAt: new Date() })
      .orIgnore()
      .returning(['eventId'])
      .execute();
    return (inserted.raw as unknown[]).length === 1;
  }

  /** Deletes rows received before `before` from every app's table, in batches; returns how many went. */
  async pruneReceivedBefore(before: Date): Promise<number> {
    let total = 0;
    for (const app of Object.keys(WEBHOOK_EVENT_ENTITIES)) {
      const table = this.db.getMetadata(entityOf(app)).tableName;
      for (;;) {
        const rows: unknown[] = await this.db.query(
          `DELETE FROM ${table} WHERE ctid IN (
             SELECT ctid FROM ${table} WHERE received_at < $1 LIMIT ${PRUNE_BATCH}
           ) RETURNING 1`,
          [before],
        );
        total += rows.length;
        if (rows.length < PRUNE_BATCH) {
          break;
        }
      }
    }
    return total;
  }
}

function entityOf(app: string) {
  const entity = WEBHOOK_EVENT_ENTITIES[app];
  if (!entity) {
    throw new Error(`No webhook dedupe table for the app "${app}": add it to WEBHOOK_EVENT_ENTITIES`);
  }
  return entity;
}
