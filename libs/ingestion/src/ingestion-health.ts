import type { IngestionLogReader } from './ingestion-log-reader';

const MINUTE_MS = 60_000;
/** Reasons listed with a health answer. */
export const TOP_REASONS = 5;

export interface IngestionHealth {
  /** True when the rejected or the rate-limited share of the window's messages is above the threshold. */
  flagged: boolean;
  windowMinutes: number;
  thresholdPercent: number;
  /** Where the window starts (the start of the minute N - 1 minutes before the current one). */
  since: Date;
  messages: number;
  rejected: number;
  rateLimited: number;
  rejectedPercent: number;
  rateLimitedPercent: number;
  /** Most frequent first: rejections by (code, field), and rate limiting as code `rate_limited`, field ''. */
  topReasons: { code: string; field: string; count: number }[];
}

/**
 * A source's ingestion health over the last `windowMinutes` minutes (the current one included) from its
 * counters and kept rejections. Counters are flushed every few seconds by each ingest process, so the
 * current minute lags by at most that.
 */
export async function ingestionHealth(
  reader: IngestionLogReader,
  sourceId: string,
  windowMinutes: number,
  thresholdPercent: number,
  now = new Date(),
): Promise<IngestionHealth> {
  const since = new Date((Math.floor(now.getTime() / MINUTE_MS) - (windowMinutes - 1)) * MINUTE_MS);
  const [totals, reasons] = await Promise.all([
    reader.totalsSince(sourceId, since),
    reader.topReasonsSince(sourceId, since, TOP_REASONS),
  ]);
  const messages = Object.values(totals).reduce((a, b) => a + b, 0);
  const percent = (n: number): number => (messages === 0 ? 0 : (100 * n) / messages);
  const rejectedPercent = percent(totals.rejected);
  const rateLimitedPercent = percent(totals.rate_limited);
  const topReasons =
    totals.rate_limited > 0 ? [...reasons, { code: 'rate_limited', field: '', count: totals.rate_limited }] : reasons;
  topReasons.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code) || a.field.localeCompare(b.field));
  return {
    flagged: rejectedPercent > thresholdPercent || rateLimitedPercent > thresholdPercent,
    windowMinutes,
    thresholdPercent,
    since,
    messages,
    rejected: totals.rejected,
    rateLimited: totals.rate_limited,
    rejectedPercent,
    rateLimitedPercent,
    topReasons: topReasons.slice(0, TOP_REASONS),
  };
}
