import { DomainException } from '@app/common';
import type { ScheduleSpec } from '@temporalio/client';
import { CronError, parseCron, shortestGapMs } from './cron';

/** What we store per cloud-app source (sources.sync_interval_minutes / sync_cron): exactly one is set. */
export type SyncScheduleSpec = { intervalMinutes: number; cron: null } | { intervalMinutes: null; cron: string };

/** A new source syncs hourly: fresh enough for billing data, 24 runs a day per source against the app's quota. */
export const DEFAULT_SYNC_INTERVAL_MINUTES = 60;
export const MIN_SYNC_INTERVAL_MINUTES = 1;
export const MAX_SYNC_INTERVAL_MINUTES = 24 * 60;
// Jitter: a tenth of the interval, at most 5 minutes. Sources on the same cron line (or created at once)
// would otherwise all start in the same second, against one worker and shared per-account budgets;
// a tenth keeps each run near its time and far from the next one.
const JITTER_FRACTION = 0.1;
const MAX_JITTER_MS = 5 * 60_000;

/** Stable `extensions.reason` values of BAD_USER_INPUT answers from updateSyncSchedule. */
export enum ScheduleInputReason {
  ONE_OF_INTERVAL_OR_CRON = 'ONE_OF_INTERVAL_OR_CRON',
  INTERVAL_OUT_OF_RANGE = 'INTERVAL_OUT_OF_RANGE',
  INVALID_CRON = 'INVALID_CRON',
}

export const DEFAULT_SYNC_SCHEDULE: SyncScheduleSpec = { intervalMinutes: DEFAULT_SYNC_INTERVAL_MINUTES, cron: null };

/** Validates updateSyncSchedule's input; BAD_USER_INPUT with a reason and what to fix otherwise. */
export function readScheduleInput(input: { intervalMinutes?: number | null; cron?: string | null }): SyncScheduleSpec {
  const hasInterval = input.intervalMinutes !== undefined && input.intervalMinutes !== null;
  const hasCron = input.cron !== undefined && input.cron !== null;
  if (hasInterval === hasCron) {
    throw invalid(
      ScheduleInputReason.ONE_OF_INTERVAL_OR_CRON,
      'Give exactly one of intervalMinutes (1 to 1440) or cron (five fields, UTC)',
    );
  }
  if (hasInterval) {
    const minutes = input.intervalMinutes!;
    if (!Number.isInteger(minutes) || minutes < MIN_SYNC_INTERVAL_MINUTES || minutes > MAX_SYNC_INTERVAL_MINUTES) {
      throw invalid(
        ScheduleInputReason.INTERVAL_OUT_OF_RANGE,
        `intervalMinutes must be a whole number from ${MIN_SYNC_INTERVAL_MINUTES} to ${MAX_SYNC_INTERVAL_MINUTES} (24 h), not ${minutes}; for rarer syncs use a cron expression`,
      );
    }
    return { intervalMinutes: minutes, cron: null };
  }
  const cron = input.cron!.trim();
  cronGapMs(cron);
  return { intervalMinutes: null, cron };
}

/** The stored schedule of a source row; the default when none is stored (a row from before schedules). */
export function storedSpec(row: { syncIntervalMinutes: number | null; syncCron: string | null }): SyncScheduleSpec {
  if (row.syncCron) {
    return { intervalMinutes: null, cron: row.syncCron };
  }
  return row.syncIntervalMinutes ? { intervalMinutes: row.syncIntervalMinutes, cron: null } : DEFAULT_SYNC_SCHEDULE;
}

export interface TemporalTiming {
  spec: ScheduleSpec;
  /** One interval: a run missed while Temporal was down is made up within it, older ones are skipped. */
  catchupWindowMs: number;
  jitterMs: number;
}

/**
 * The Temporal spec of a stored schedule. Intervals get an offset from the source id, so hourly sources
 * spread over the hour instead of all starting on it (Temporal aligns intervals to the epoch).
 */
export function temporalTiming(sourceId: string, stored: SyncScheduleSpec, now = new Date()): TemporalTiming {
  if (stored.intervalMinutes !== null) {
    const everyMs = stored.intervalMinutes * 60_000;
    const offsetMs = (hash(sourceId) % (everyMs / 1000)) * 1000;
    const jitterMs = jitterFor(everyMs);
    return {
      spec: { intervals: [{ every: everyMs, offset: offsetMs }], jitter: jitterMs },
      catchupWindowMs: everyMs,
      jitterMs,
    };
  }
  const gapMs = cronGapMs(stored.cron, now);
  const jitterMs = jitterFor(gapMs);
  return { spec: { cronExpressions: [stored.cron], jitter: jitterMs }, catchupWindowMs: gapMs, jitterMs };
}

function jitterFor(intervalMs: number): number {
  return Math.min(Math.floor(intervalMs * JITTER_FRACTION), MAX_JITTER_MS);
}

function cronGapMs(cron: string, now = new Date()): number {
  try {
    const gap = shortestGapMs(parseCron(cron), now);
    if (gap === null) {
      throw new CronError(`cron "${cron}" never runs (or runs once in 8 years); check the day and month fields`);
    }
    return gap;
  } catch (error) {
    if (error instanceof CronError) {
      throw invalid(ScheduleInputReason.INVALID_CRON, error.message);
    }
    throw error;
  }
}

function invalid(reason: ScheduleInputReason, message: string): DomainException {
  return DomainException.invalid(message, { reason });
}

// FNV-1a: a stable spread of source ids over the interval (not security).
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
