import { DomainException } from '@app/common';
import { bucketStarts, counterRange } from './ingestion-log-range';

describe('counterRange', () => {
  it('aligns the start down to the granularity and lists every bucket up to `to`', () => {
    const range = counterRange(new Date('2026-01-01T10:17:10Z'), new Date('2026-01-01T13:00:00Z'), 'HOUR');
    expect(bucketStarts(range).map((d) => d.toISOString())).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
  });

  it('refuses more than a day of minutes, saying what to change', () => {
    let error: unknown;
    try {
      counterRange(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-02T00:01:00Z'), 'MINUTE');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainException);
    expect((error as DomainException).message).toBe(
      'A MINUTE granularity covers at most 1440 buckets; this range needs 1441: narrow from/to or use HOUR',
    );
    expect((error as DomainException).details).toEqual({ reason: 'RANGE_TOO_LARGE' });
    // Exactly a day is fine.
    expect(
      bucketStarts(counterRange(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-02T00:00:00Z'), 'MINUTE')),
    ).toHaveLength(1440);
  });

  it('refuses an empty or reversed range', () => {
    const t = new Date('2026-01-01T00:00:00Z');
    expect(() => counterRange(t, t, 'DAY')).toThrow('`from` must be a time before `to`');
  });
});
