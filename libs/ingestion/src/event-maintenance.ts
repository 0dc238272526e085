import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dropEventPartitionsBefore, ensureEventPartitions } from './event-partitions';
import { QuarantineStore } from './quarantine/quarantine-store';
import { expireIngestionLog } from './ingestion-log-retention';

/** Days of partitions kept ready ahead of today, so inserts never wait on DDL. */
export const PARTITION_DAYS_AHEAD = 3;
/** Events older than this are dropped, a whole day partition at a time. */
export const EVENT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
const EVERY_MS = 60 * 60 * 1000;
const EXPIRE_BATCH = 10_000;

export interface MaintenanceReport {
  /** Partitions ensured (today and the days ahead). */
  partitions: string[];
  dropped: string[];
  expiredKeys: number;
  /** Quarantined events dropped past their retention (QUARANTINE_RETENTION_DAYS, set when quarantined). */
  expiredQuarantine: number;
  /** Ingestion log rows (counters and rejections) past their retention, deleted. */
  expiredLogRows: number;
}

/**
 * Keeps the events table in shape, at boot and hourly, in every ingest replica (every step is idempotent):
 * partitions for today and the next days, retention by dropping whole partitions, expired dedupe keys, and
 * the ingestion log's rows past INGESTION_LOG_RETENTION_DAYS.
 */
@Injectable()
export class EventMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventMaintenance');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly quarantine: QuarantineStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Awaited once: the first requests should find today's partition.
    await this.runSafely();
    this.timer = setInterval(() => void this.runSafely(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(
    now = new Date(),
    retentionDays = EVENT_RETENTION_DAYS,
    logRetentionDays = this.config.ingestionLog.retentionDays,
  ): Promise<MaintenanceReport> {
    const partitions = await ensureEventPartitions(this.db.manager, now, PARTITION_DAYS_AHEAD);
    const dropped = await dropEventPartitionsBefore(this.db.manager, new Date(now.getTime() - retentionDays * DAY_MS));
    let expiredKeys = 0;
    for (;;) {
      const [, count] = await this.db.query<[unknown, number]>(
        `DELETE FROM event_dedupe WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM event_dedupe WHERE expires_at <= $1 LIMIT ${EXPIRE_BATCH}))`,
        [now.toISOString()],
      );
      expiredKeys += count;
      if (count < EXPIRE_BATCH) {
        break;
      }
    }
    const expiredQuarantine = await this.quarantine.expire(now);
    const expiredLogRows = await expireIngestionLog(this.db, new Date(now.getTime() - logRetentionDays * DAY_MS));
    return { partitions, dropped, expiredKeys, expiredQuarantine, expiredLogRows };
  }

  private async runSafely(): Promise<void> {
    try {
      const report = await this.run();
      const expired = report.expiredKeys + report.expiredQuarantine + report.expiredLogRows;
      if (report.dropped.length > 0 || expired > 0) {
        this.logger.log(
          `dropped partitions [${report.dropped.join(', ')}], expired ${report.expiredKeys} dedupe keys, ` +
            `${report.expiredQuarantine} quarantined events and ${report.expiredLogRows} ingestion log rows`,
        );
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'event maintenance failed; retrying in an hour');
    }
  }
}
