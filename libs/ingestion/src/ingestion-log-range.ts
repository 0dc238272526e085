import { DomainException } from '@app/common';

export const GRANULARITIES = ['MINUTE', 'HOUR', 'DAY'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const STEP_MS: Record<Granularity, number> = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };
/** The most buckets one query answers: a day of minutes, a month of hours, a bit over a year of days. */
const MAX_BUCKETS: Record<Granularity, number> = { MINUTE: 1440, HOUR: 744, DAY: 400 };
const NEXT_COARSER: Record<Granularity, string> = { MINUTE: 'HOUR', HOUR: 'DAY', DAY: 'a shorter range' };

/** A validated counter range: bucket starts (UTC) from `start` up to before `end`. */
export interface CounterRange {
  granularity: Granularity;
  start: Date;
  end: Date;
  stepMs: number;
}

/**
 * Checks a requested range and aligns its start down to the granularity (UTC), so buckets are whole hours
 * or days. Refusals say what to change.
 */
export function counterRange(from: Date, to: Date, granularity: Granularity): CounterRange {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from.getTime() >= to.getTime()) {
    throw DomainException.invalid('`from` must be a time before `to`', { reason: 'EMPTY_RANGE' });
  }
  const stepMs = STEP_MS[granularity];
  const start = new Date(Math.floor(from.getTime() / stepMs) * stepMs);
  const buckets = Math.ceil((to.getTime() - start.getTime()) / stepMs);
  if (buckets > MAX_BUCKETS[granularity]) {
    throw DomainException.invalid(
      `A ${granularity} granularity covers at most ${MAX_BUCKETS[granularity]} buckets; this range needs ` +
        `${buckets}: narrow from/to or use ${NEXT_COARSER[granularity]}`,
      { reason: 'RANGE_TOO_LARGE' },
    );
  }
  return { granularity, start, end: to, stepMs };
}

/** Every bucket start of the range, oldest first (buckets with nothing counted included). */
export function bucketStarts(range: CounterRange): Date[] {
  const starts: Date[] = [];
  for (let t = range.start.getTime(); t < range.end.getTime(); t += range.stepMs) {
    starts.push(new Date(t));
  }
  return starts;
}
