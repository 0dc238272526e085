import { penalise, reserve, settle } from './token-bucket';

const RATE = { perSecond: 20, burst: 5 }; // one request every 50 ms, 5 at once

/** Takes `count` requests arriving at `nowMs`, each after the previous one's wait, like queued callers. */
function starts(count: number, nowMs: number, fullAtMs: number | null = null): { starts: number[]; fullAtMs: number } {
  const times: number[] = [];
  let state = fullAtMs;
  for (let i = 0; i < count; i++) {
    const taken = reserve(state, nowMs, RATE);
    times.push(nowMs + taken.waitMs);
    state = taken.fullAtMs;
  }
  return { starts: times, fullAtMs: state! };
}

describe('token bucket (GCRA)', () => {
  it('lets a burst go at once from a full bucket, then paces at the rate', () => {
    const { starts: times } = starts(8, 1000);
    expect(times).toEqual([1000, 1000, 1000, 1000, 1000, 1050, 1100, 1150]);
  });

  it('refills at the rate while idle, never above the burst', () => {
    const first = starts(5, 0).fullAtMs; // empty at 0, full again at 250
    expect(first).toBe(250);
    expect(reserve(first, 100, RATE).waitMs).toBe(0); // two tokens back after 100 ms
    expect(starts(3, 100, first).starts).toEqual([100, 100, 150]);
    // An hour idle still gives only `burst` at once.
    expect(starts(7, 3_600_000, first).starts.filter((t) => t === 3_600_000)).toHaveLength(5);
  });

  it('never lets more than burst + rate·L requests go in any window of L seconds', () => {
    // Callers arriving at random times over 5 s, each taking its turn.
    let state: number | null = null;
    const times: number[] = [];
    for (let now = 0, i = 0; i < 400; i++, now += (i * 7919) % 23) {
      const taken = reserve(state, now, RATE);
      state = taken.fullAtMs;
      times.push(now + taken.waitMs);
    }
    times.sort((a, b) => a - b);
    for (const start of times) {
      const inSecond = times.filter((t) => t >= start && t < start + 1000).length;
      expect(inSecond).toBeLessThanOrEqual(RATE.perSecond + RATE.burst);
    }
  });

  it('after a 429 holds every request back for the hint, then restarts paced, without a burst', () => {
    const penalised = penalise(null, 1000, RATE, 2000);
    const { starts: times } = starts(3, 1000, penalised);
    expect(times).toEqual([3000, 3050, 3100]);
    // A penalty never shortens a longer queue already there.
    expect(penalise(10_000, 1000, RATE, 10)).toBe(10_000);
  });

  it('takes a request’s cost in tokens: it goes once the bucket holds them all (cost-limited apps)', () => {
    const points = { perSecond: 100, burst: 1000 }; // 10 ms per point
    const first = reserve(null, 0, points, 600);
    expect(first.waitMs).toBe(0); // 1000 points in a full bucket
    const second = reserve(first.fullAtMs, 0, points, 600);
    expect(second.waitMs).toBe(2000); // 400 left: 200 more points take 2 s
    expect(reserve(second.fullAtMs, 2000, points, 1).waitMs).toBe(10);
  });

  it('gives back what an answer did not charge: the next request goes as the provider allows it', () => {
    const points = { perSecond: 100, burst: 2000 }; // 10 ms per point, Shopify's Standard bucket
    // Pages requesting 842 points and charged 277: taking the requested cost and giving nothing back paces
    // one page every 8.42 s; giving back 565 after each, one every 2.77 s (the bucket's true drain).
    const paced = (refund: number): number[] => {
      let fullAtMs: number | null = null;
      let now = 0;
      const sent: number[] = [];
      for (let page = 0; page < 10; page++) {
        const taken = reserve(fullAtMs, now, points, 842);
        now += taken.waitMs;
        sent.push(now);
        fullAtMs = settle(taken.fullAtMs, now, points, refund);
      }
      return sent;
    };
    expect(paced(0).at(-1)! - paced(0).at(-2)!).toBeCloseTo(8420);
    const refunded = paced(565);
    expect(refunded.at(-1)! - refunded.at(-2)!).toBeCloseTo(2770);
    // From a full bucket pages go at once while it holds 842: 2000, 1723, 1446, 1169, 892 (2 without refunds).
    expect(refunded.filter((t) => t === 0)).toHaveLength(5);
    expect(paced(0).filter((t) => t === 0)).toHaveLength(2);
  });

  it('never refunds above the bucket’s size, and queued reservations keep their place', () => {
    const points = { perSecond: 100, burst: 2000 };
    expect(settle(null, 5000, points, 500)).toBe(5000); // a full bucket stays full (fullAt = now)
    expect(settle(5300, 5000, points, 500)).toBe(5000); // 30 points short, 500 back: full, not 2,470
    expect(settle(9000, 5000, points, 100)).toBe(8000);
    expect(reserve(settle(5300, 5000, points, 500), 5000, points, 2000).waitMs).toBe(0);
    expect(reserve(settle(5300, 5000, points, 500), 5000, points, 2001).waitMs).toBe(10);
  });

  it('holds no more than the provider reports available (another client spends on the account)', () => {
    const points = { perSecond: 100, burst: 2000 };
    // We think the bucket is full; Shopify says 300 points are left: a query requesting 842 waits 5.42 s.
    const capped = settle(null, 0, points, 0, 300);
    expect(capped).toBe(17_000);
    expect(reserve(capped, 0, points, 842).waitMs).toBe(5420);
    // A report of more than we hold changes nothing (our own queued takers are counted, Shopify's are not yet).
    expect(settle(15_000, 0, points, 0, 1000)).toBe(15_000);
    // The refund first, then the cap: 565 back on a bucket holding 500, Shopify reporting 900, holds 900.
    expect(settle(15_000, 0, points, 565, 900)).toBe(11_000);
  });

  it('refuses a rate that would never refill', () => {
    expect(() => reserve(null, 0, { perSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => reserve(null, 0, { perSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
