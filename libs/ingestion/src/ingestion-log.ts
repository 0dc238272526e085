import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IngestionTally, type TallyBatch } from './ingestion-tally';

/**
 * How often a process writes what it counted. Also the most a kill -9 can lose (the counts and rejections
 * of the last interval; the events themselves are stored before they are acknowledged, as ever).
 */
export const INGESTION_LOG_FLUSH_MS = 2_000;

/**
 * Both halves of a flush in ONE statement (all or nothing: a failed flush is retried whole). Counters are
 * added, never set, so two processes' flushes add up exactly; rows go in key order so two flushes lock
 * the same counter rows in the same order (no deadlock).
 */
const FLUSH_SQL = `
WITH counted AS (
  INSERT INTO ingestion_counters (source_id, minute, status, count)
  SELECT c.source_id, c.minute, c.status, c.count
    FROM jsonb_to_recordset($1::jsonb) AS c(source_id uuid, minute timestamptz, status text, count bigint)
   ORDER BY c.source_id, c.minute, c.status
  ON CONFLICT (source_id, minute, status) DO UPDATE SET count = ingestion_counters.count + EXCLUDED.count
  RETURNING 1
), kept AS (
  INSERT INTO ingestion_rejections (source_id, received_at, message_id, code, field, reason, payload, truncated)
  SELECT r.source_id, r.received_at, r.message_id, r.code, r.field, r.reason, r.payload, r.truncated
    FROM jsonb_to_recordset($2::jsonb) AS r(source_id uuid, received_at timestamptz, message_id text, code text,
         field text, reason text, payload text, truncated boolean)
  RETURNING 1
)
SELECT (SELECT count(*) FROM counted)::int AS counters, (SELECT count(*) FROM kept)::int AS rejections`;

/**
 * The ingestion log's writer in an ingest process: outcomes are tallied in memory on the request path (no
 * write per event) and written every INGESTION_LOG_FLUSH_MS, and once more at shutdown (after the HTTP
 * server has finished its requests, before the pool closes: Nest runs this module's shutdown hook before
 * the database module's). A failed flush is put back and retried with the next one.
 */
@Injectable()
export class IngestionLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IngestionLog');
  private readonly tally = new IngestionTally();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Where the request path records outcomes (synchronous, memory only). */
  get pending(): IngestionTally {
    return this.tally;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), INGESTION_LOG_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Writes what was tallied so far (one flush at a time; a call during one waits for it, then flushes). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.tally.empty) {
      return;
    }
    const batch = this.tally.drain();
    if (batch.droppedRejections > 0) {
      this.logger.warn(`${batch.droppedRejections} rejected items were counted but not kept (too many at once)`);
    }
    try {
      await this.db.query(FLUSH_SQL, [JSON.stringify(batch.counters), JSON.stringify(batch.rejections)]);
    } catch (error) {
      this.tally.restore(withoutDropped(batch));
      this.logger.warn({ err: error }, 'ingestion log flush failed; retrying with the next one');
    }
  }
}

/** The drop was already reported: a retried batch must not report it twice. */
function withoutDropped(batch: TallyBatch): TallyBatch {
  return { ...batch, droppedRejections: 0 };
}
