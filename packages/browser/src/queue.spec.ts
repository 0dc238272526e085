import { boundQueue, takeBatch } from './queue';

const item = (n: number, pad = 0) => ({ n, pad: 'x'.repeat(pad) });

describe('boundQueue', () => {
  it('keeps everything within both bounds, in order', () => {
    const items = [1, 2, 3].map((n) => item(n));
    expect(boundQueue(items, 10, 10_000)).toEqual({ kept: items, dropped: 0 });
  });

  it('drops the oldest items past the count bound', () => {
    const { kept, dropped } = boundQueue(
      [1, 2, 3, 4, 5].map((n) => item(n)),
      3,
      10_000,
    );
    expect(kept.map((i) => i.n)).toEqual([3, 4, 5]);
    expect(dropped).toBe(2);
  });

  it('drops the oldest items past the size bound', () => {
    const items = [1, 2, 3, 4].map((n) => item(n, 90)); // ~110 characters each
    const { kept, dropped } = boundQueue(items, 100, 250);
    expect(kept.map((i) => i.n)).toEqual([3, 4]);
    expect(dropped).toBe(2);
  });
});

describe('takeBatch', () => {
  it('takes the oldest items up to the count and byte limits', () => {
    const items = [1, 2, 3, 4, 5].map((n) => item(n, 90));
    expect(takeBatch(items, 2, 100_000).map((i) => i.n)).toEqual([1, 2]);
    expect(takeBatch(items, 100, 64 + 3 * 112).map((i) => i.n)).toEqual([1, 2, 3]);
  });

  it('always takes at least one item, so an oversized event still leaves the queue', () => {
    expect(takeBatch([item(1, 5000)], 100, 100)).toHaveLength(1);
  });
});
