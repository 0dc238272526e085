import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Granularity, bucketStarts, counterRange } from './ingestion-log-range';
import { type CountedStatus } from './ingestion-tally';
import { decodeTimeIdCursor, encodeTimeIdCursor } from './time-id-cursor';

/** One bucket of counts, every status present (0 when nothing was counted). */
export interface CounterBucket {
  start: Date;
  counts: Record<CountedStatus, number>;
}

export interface StoredRejection {
  id: string;
  receivedAt: Date;
  messageId: string | null;
  code: string;
  field: string;
  reason: string;
  payload: string;
  truncated: boolean;
}

export interface RejectionPage {
  items: StoredRejection[];
  cursors: string[];
  hasNextPage: boolean;
}

interface RejectionRow {
  id: string;
  received_at: Date;
  message_id: string | null;
  code: string;
  field: string;
  reason: string;
  payload: string;
  truncated: boolean;
}

export const emptyCounts = (): Record<CountedStatus, number> => ({
  accepted: 0,
  duplicate: 0,
  rejected: 0,
  quarantined: 0,
  rate_limited: 0,
});

/**
 * Reads a source's ingestion log. The caller has already checked that the source belongs to its workspace
 * (ingestion does not know sources).
 */
@Injectable()
export class IngestionLogReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Counts per bucket over [from, to), the start aligned down to the granularity (UTC). */
  async counters(sourceId: string, from: Date, to: Date, granularity: Granularity): Promise<CounterBucket[]> {
    const range = counterRange(from, to, granularity);
    const rows = await this.db.query<{ start: Date; status: CountedStatus; n: string }[]>(
      `SELECT date_trunc($4, minute AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, status, sum(count)::text AS n
         FROM ingestion_counters
        WHERE source_id = $1 AND minute >= $2 AND minute < $3
        GROUP BY 1, 2`,
      [sourceId, range.start.toISOString(), range.end.toISOString(), granularity.toLowerCase()],
    );
    const byStart = new Map(bucketStarts(range).map((start) => [start.getTime(), { start, counts: emptyCounts() }]));
    for (const row of rows) {
      const bucket = byStart.get(new Date(row.start).getTime());
      if (bucket) {
        bucket.counts[row.status] = Number(row.n);
      }
    }
    return [...byStart.values()];
  }

  /** Totals per status from `since` on (for ingestion health). */
  async totalsSince(sourceId: string, since: Date): Promise<Record<CountedStatus, number>> {
    const rows = await this.db.query<{ status: CountedStatus; n: string }[]>(
      `SELECT status, sum(count)::text AS n FROM ingestion_counters
        WHERE source_id = $1 AND minute >= $2 GROUP BY status`,
      [sourceId, since.toISOString()],
    );
    const totals = emptyCounts();
    rows.forEach((r) => (totals[r.status] = Number(r.n)));
    return totals;
  }

  /** The most frequent (code, field) pairs among the rejections kept from `since` on. */
  async topReasonsSince(
    sourceId: string,
    since: Date,
    limit: number,
  ): Promise<{ code: string; field: string; count: number }[]> {
    const rows = await this.db.query<{ code: string; field: string; n: string }[]>(
      `SELECT code, field, count(*)::text AS n FROM ingestion_rejections
        WHERE source_id = $1 AND received_at >= $2
        GROUP BY code, field ORDER BY count(*) DESC, code, field LIMIT $3`,
      [sourceId, since.toISOString(), limit],
    );
    return rows.map((r) => ({ code: r.code, field: r.field, count: Number(r.n) }));
  }

  /** Rejections newest first, by keyset on (received_at, id); only `code`'s when given. */
  async rejections(
    sourceId: string,
    first: number,
    after?: string | null,
    code?: string | null,
  ): Promise<RejectionPage> {
    const position = after ? decodeTimeIdCursor('r', after, 'sourceRejections') : null;
    // `ingestion_rejections.id`, not `id`: that would name the selected text column, and sort '10' before '9'.
    const rows = await this.db.query<RejectionRow[]>(
      `SELECT id::text, received_at, message_id, code, field, reason, payload, truncated
         FROM ingestion_rejections
        WHERE source_id = $1 AND ($2::text IS NULL OR code = $2)
          AND ($3::timestamptz IS NULL OR (received_at, id) < ($3::timestamptz, $4::bigint))
        ORDER BY received_at DESC, ingestion_rejections.id DESC
        LIMIT $5`,
      [sourceId, code ?? null, position?.receivedAt ?? null, position?.id ?? null, first + 1],
    );
    const items = rows.slice(0, first).map((r): StoredRejection => ({
      id: r.id,
      receivedAt: r.received_at,
      messageId: r.message_id,
      code: r.code,
      field: r.field,
      reason: r.reason,
      payload: r.payload,
      truncated: r.truncated,
    }));
    return { items, cursors: items.map((r) => encodeTimeIdCursor('r', r)), hasNextPage: rows.length > first };
  }
}
