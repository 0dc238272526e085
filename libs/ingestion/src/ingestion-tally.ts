import type { ItemResult } from './item-result';

/** The outcomes the ingestion log counts, as stored in ingestion_counters.status. */
export const COUNTED_STATUSES = ['accepted', 'duplicate', 'rejected', 'quarantined', 'rate_limited'] as const;
export type CountedStatus = (typeof COUNTED_STATUSES)[number];

/** A payload kept with a rejection is cut to this many characters of its JSON text. */
export const REJECTION_PAYLOAD_CHARS = 2048;
/**
 * Rejections held between two flushes at most: beyond, only their count is kept (a flood of garbage must not
 * grow the process's memory); the counters still count every one.
 */
export const MAX_PENDING_REJECTIONS = 5_000;

export interface RejectionRow {
  source_id: string;
  received_at: string;
  message_id: string | null;
  code: string;
  field: string;
  reason: string;
  payload: string;
  truncated: boolean;
}

export interface CounterRow {
  source_id: string;
  minute: string;
  status: CountedStatus;
  count: number;
}

/** What one flush writes, and what it had to leave out. */
export interface TallyBatch {
  counters: CounterRow[];
  rejections: RejectionRow[];
  droppedRejections: number;
}

const MINUTE_MS = 60_000;

/**
 * A process's counts since its last flush, by (source, minute, status), and the rejected items to keep.
 * Plain data, no I/O: IngestionLog (ingestion-log.ts) drains it into Postgres.
 */
export class IngestionTally {
  private counts = new Map<string, CounterRow>();
  private rejections: RejectionRow[] = [];
  private dropped = 0;

  /** Counts a request's answered items (rejections are kept with their item, when `raw` has it). */
  addResults(sourceId: string, results: readonly ItemResult[], at: Date, raw?: readonly unknown[]): void {
    if (results.length === 1) {
      // The hot path (single calls): no per-request map.
      this.add(sourceId, results[0].status, at, 1);
    } else {
      const perStatus = new Map<CountedStatus, number>();
      results.forEach((r) => perStatus.set(r.status, (perStatus.get(r.status) ?? 0) + 1));
      perStatus.forEach((n, status) => this.add(sourceId, status, at, n));
    }
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        this.keepRejection(sourceId, at, result, raw?.[i]);
      }
    });
  }

  add(sourceId: string, status: CountedStatus, at: Date, n: number): void {
    if (n <= 0) {
      return;
    }
    const minute = new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS).toISOString();
    const key = `${sourceId}|${minute}|${status}`;
    const row = this.counts.get(key);
    if (row) {
      row.count += n;
    } else {
      this.counts.set(key, { source_id: sourceId, minute, status, count: n });
    }
  }

  keepRejection(
    sourceId: string,
    at: Date,
    r: { messageId: string | null; code: string; field: string; reason: string },
    raw: unknown,
  ): void {
    if (this.rejections.length >= MAX_PENDING_REJECTIONS) {
      this.dropped++;
      return;
    }
    const { payload, truncated } = truncatedPayload(raw);
    this.rejections.push({
      source_id: sourceId,
      received_at: at.toISOString(),
      message_id: r.messageId,
      code: r.code,
      field: r.field.slice(0, 200),
      reason: r.reason,
      payload,
      truncated,
    });
  }

  get empty(): boolean {
    return this.counts.size === 0 && this.rejections.length === 0 && this.dropped === 0;
  }

  /** Everything counted so far; the tally starts again from nothing. */
  drain(): TallyBatch {
    const batch = { counters: [...this.counts.values()], rejections: this.rejections, droppedRejections: this.dropped };
    this.counts = new Map();
    this.rejections = [];
    this.dropped = 0;
    return batch;
  }

  /** Puts a batch that could not be written back, so the next flush retries it (counts add up again). */
  restore(batch: TallyBatch): void {
    for (const row of batch.counters) {
      this.add(row.source_id, row.status, new Date(row.minute), row.count);
    }
    const room = Math.max(0, MAX_PENDING_REJECTIONS - this.rejections.length);
    this.rejections.push(...batch.rejections.slice(0, room));
    this.dropped += batch.droppedRejections + Math.max(0, batch.rejections.length - room);
  }
}

/**
 * The item as JSON text, cut at REJECTION_PAYLOAD_CHARS (on a code point: no half surrogate pair). JSON text
 * escapes NUL and lone surrogates, so Postgres text always holds it. An item with no JSON text keeps ''.
 */
export function truncatedPayload(raw: unknown): { payload: string; truncated: boolean } {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? '';
  } catch {
    text = '';
  }
  if (text.length <= REJECTION_PAYLOAD_CHARS) {
    return { payload: text, truncated: false };
  }
  let end = REJECTION_PAYLOAD_CHARS;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) {
    end--;
  }
  return { payload: text.slice(0, end), truncated: true };
}
