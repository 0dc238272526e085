import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PlanViolation } from '../plan-check';
import type { TrackingEvent } from '../tracking-message';
import { eventJson } from './quarantined-event';

const DAY_MS = 86_400_000;
const EXPIRE_BATCH = 10_000;

export interface HeldEvent {
  event: TrackingEvent;
  violations: PlanViolation[];
}

/**
 * The write side of the quarantine: BLOCK-mode events that broke their source's plan, kept whole. One
 * statement per request (its own transaction: committed before ingest answers). A retried request finds its
 * messageIds there already (ON CONFLICT DO NOTHING): quarantined once, and no dedupe key taken.
 */
@Injectable()
export class QuarantineStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async hold(sourceId: string, planVersion: number, held: HeldEvent[]): Promise<void> {
    if (held.length === 0) {
      return;
    }
    const keepMs = this.config.quarantine.retentionDays * DAY_MS;
    const rows = held.map(({ event, violations }) => ({
      message_id: event.messageId,
      type: event.type,
      event_name: event.event,
      event: eventJson(event),
      violations,
      received_at: event.receivedAt.toISOString(),
      expires_at: new Date(event.receivedAt.getTime() + keepMs).toISOString(),
    }));
    await this.db.query(
      `INSERT INTO quarantined_events
              (source_id, message_id, type, event_name, event, violations, plan_version, received_at, expires_at)
       SELECT $1, r.message_id, r.type, r.event_name, r.event, r.violations, $2, r.received_at, r.expires_at
         FROM jsonb_to_recordset($3::jsonb) AS r(message_id text, type text, event_name text, event jsonb,
              violations jsonb, received_at timestamptz, expires_at timestamptz)
       ON CONFLICT (source_id, message_id) DO NOTHING`,
      [sourceId, planVersion, JSON.stringify(rows)],
    );
  }

  /** Drops quarantined events past their retention; returns how many. */
  async expire(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, count] = await this.db.query<[unknown, number]>(
        `DELETE FROM quarantined_events WHERE id = ANY(ARRAY(
           SELECT id FROM quarantined_events WHERE expires_at <= $1 LIMIT ${EXPIRE_BATCH}))`,
        [now.toISOString()],
      );
      total += count;
      if (count < EXPIRE_BATCH) {
        return total;
      }
    }
  }
}
