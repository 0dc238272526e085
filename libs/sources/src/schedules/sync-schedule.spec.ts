import { DomainException } from '@app/common';
import { readScheduleInput, storedSpec, temporalTiming } from './sync-schedule';

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainException ? { code: error.code, reason: error.details?.reason } : error;
  }
  return 'no error';
}

describe('sync schedule input', () => {
  it('accepts an interval of 1 to 1440 minutes or a cron expression', () => {
    expect(readScheduleInput({ intervalMinutes: 1 })).toEqual({ intervalMinutes: 1, cron: null });
    expect(readScheduleInput({ intervalMinutes: 1440, cron: null })).toEqual({ intervalMinutes: 1440, cron: null });
    expect(readScheduleInput({ cron: ' 0 */6 * * * ' })).toEqual({ intervalMinutes: null, cron: '0 */6 * * *' });
  });

  it.each([
    [{}, 'ONE_OF_INTERVAL_OR_CRON'],
    [{ intervalMinutes: 5, cron: '* * * * *' }, 'ONE_OF_INTERVAL_OR_CRON'],
    [{ intervalMinutes: 0 }, 'INTERVAL_OUT_OF_RANGE'],
    [{ intervalMinutes: 1441 }, 'INTERVAL_OUT_OF_RANGE'],
    [{ cron: 'every hour' }, 'INVALID_CRON'],
    [{ cron: '0 0 31 2 *' }, 'INVALID_CRON'],
  ])('refuses %p as %s', (input, reason) => {
    expect(reasonOf(() => readScheduleInput(input))).toEqual({ code: 'INVALID_INPUT', reason });
  });

  it('defaults rows from before schedules to hourly', () => {
    expect(storedSpec({ syncIntervalMinutes: null, syncCron: null })).toEqual({ intervalMinutes: 60, cron: null });
    expect(storedSpec({ syncIntervalMinutes: null, syncCron: '@daily' })).toEqual({
      intervalMinutes: null,
      cron: '@daily',
    });
  });
});

describe('temporalTiming', () => {
  it('spreads interval schedules by source id, catches up one interval, jitters a tenth (at most 5 min)', () => {
    const a = temporalTiming('9b2d8c3e-0000-4000-8000-000000000001', { intervalMinutes: 60, cron: null });
    const b = temporalTiming('9b2d8c3e-0000-4000-8000-000000000002', { intervalMinutes: 60, cron: null });
    const offsetOf = (t: typeof a) => (t.spec.intervals![0] as { offset: number }).offset;
    expect(a.spec.intervals![0]).toMatchObject({ every: 3_600_000 });
    expect(offsetOf(a)).toBeGreaterThanOrEqual(0);
    expect(offsetOf(a)).toBeLessThan(3_600_000);
    expect(offsetOf(a)).not.toBe(offsetOf(b));
    expect(a).toMatchObject({ catchupWindowMs: 3_600_000, jitterMs: 300_000 });
    expect(temporalTiming('x', { intervalMinutes: 10, cron: null }).jitterMs).toBe(60_000);
  });

  it('gives a cron schedule the gap between its runs as catch-up window', () => {
    const t = temporalTiming('x', { intervalMinutes: null, cron: '*/20 * * * *' });
    expect(t).toMatchObject({
      spec: { cronExpressions: ['*/20 * * * *'], jitter: 120_000 },
      catchupWindowMs: 1_200_000,
    });
  });
});
