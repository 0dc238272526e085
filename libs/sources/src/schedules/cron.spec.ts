import { CronError, nextRuns, parseCron, shortestGapMs } from './cron';

describe('parseCron', () => {
  const at = new Date('2026-12-01T10:07:30Z');

  it('reads steps, ranges, lists and names, and computes the next runs in UTC', () => {
    expect(nextRuns(parseCron('*/15 9-10 * * MON-FRI'), at, 3).map((d) => d.toISOString())).toEqual([
      '2026-12-01T10:15:00.000Z',
      '2026-12-01T10:30:00.000Z',
      '2026-12-01T10:45:00.000Z',
    ]);
    expect(nextRuns(parseCron('0 0 1 jan,jul *'), at, 2).map((d) => d.toISOString())).toEqual([
      '2027-01-01T00:00:00.000Z',
      '2027-07-01T00:00:00.000Z',
    ]);
    // 7 is Sunday too; 2026-12-06 is a Sunday.
    expect(nextRuns(parseCron('30 6 * * 7'), at, 1)[0].toISOString()).toBe('2026-12-06T06:30:00.000Z');
  });

  it('reads macros', () => {
    expect(nextRuns(parseCron('@daily'), at, 1)[0].toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(shortestGapMs(parseCron('@hourly'), at)).toBe(3_600_000);
  });

  it('gives the shortest gap between runs (the catch-up window of a cron schedule)', () => {
    expect(shortestGapMs(parseCron('* * * * *'), at)).toBe(60_000);
    expect(shortestGapMs(parseCron('0 9 * * 1-5'), at)).toBe(86_400_000);
    expect(shortestGapMs(parseCron('0 0 30 2 *'), at)).toBeNull();
  });

  it.each([
    ['0 * * *', /has 4 fields; write five fields in UTC/],
    ['0 0 * * * *', /has 6 fields/],
    ['61 * * * *', /minute field "61": 61 is outside 0-59/],
    ['0 24 * * *', /hour field "24": 24 is outside 0-23/],
    ['0 0 * FOO *', /month field "FOO" is not understood; use \*, numbers 1-12 or names \(JAN-DEC\)/],
    ['*/0 * * * *', /a step must be at least 1/],
    ['0 10-2 * * *', /the range 10-2 runs backwards/],
    ['0 0 13 * FRI', /restricts both day-of-month and day-of-week/],
    ['@every 5m', /not a cron macro we accept/],
    ['1,,2 * * * *', /minute field "1,,2" is not understood/],
  ])('refuses %p saying what to fix', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronError);
    expect(() => parseCron(expression)).toThrow(message);
  });
});
