import { CostPace } from './client';

// The incremental baseline's pacing: it must wait exactly until Shopify's bucket, as last reported and refilled at
// its restore rate since, holds the next query's cost, or the throttled case compares the engine with a script that
// is either throttled or slower than the limits require.
describe('CostPace', () => {
  let now: number;
  let sut: CostPace;
  const status = (currentlyAvailable: number) => ({
    requestedQueryCost: 842,
    actualQueryCost: 280,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable, restoreRate: 100 },
  });

  beforeEach(() => {
    now = 10_000;
    sut = new CostPace(() => now);
  });

  it('sends the first query at once: there is no figure to go by yet', () => {
    expect(sut.waitMs(842)).toBe(0);
  });

  it('waits until the reported level, refilled at the restore rate, covers the cost', () => {
    sut.answered(status(158));
    expect(sut.waitMs(842)).toBe(6840);
    now += 2000;
    expect(sut.waitMs(842)).toBe(4840);
    now += 4840;
    expect(sut.waitMs(842)).toBe(0);
    expect(sut.waitMs(100)).toBe(0);
  });

  it('never counts the bucket above its size, and waits for a full bucket at most', () => {
    sut.answered(status(1900));
    now += 60_000;
    expect(sut.waitMs(842)).toBe(0);
    sut.answered(status(0));
    expect(sut.waitMs(5000)).toBe(20_000);
  });

  it('keeps the last level when an answer carries no throttle status', () => {
    sut.answered(status(0));
    sut.answered(undefined);
    sut.answered({ requestedQueryCost: 10 });
    expect(sut.waitMs(100)).toBe(1000);
  });
});
