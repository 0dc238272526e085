import { backoffDelay, retryAfterDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { minDelay: 200, maxDelay: 5_000 };

  it('doubles per attempt up to the ceiling, half of it fixed and half jitter', () => {
    const low = (attempt: number) => backoffDelay(policy, attempt, () => 0);
    const high = (attempt: number) => backoffDelay(policy, attempt, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7].map(low)).toEqual([100, 200, 400, 800, 1600, 2500, 2500]);
    expect([1, 2, 3, 4, 5, 6, 7].map(high)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('spreads clients that retry the same attempt', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(policy, 4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(800);
      expect(d).toBeLessThanOrEqual(1600);
    }
  });
});

describe('retryAfterDelay', () => {
  it('reads delta-seconds and HTTP dates, plus at most 250 ms of jitter', () => {
    expect(retryAfterDelay('3', 0, () => 0)).toBe(3000);
    expect(retryAfterDelay('3', 0, () => 1)).toBe(3250);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterDelay('Thu, 01 Jan 2026 00:00:07 GMT', now, () => 0)).toBe(7000);
    expect(retryAfterDelay('Thu, 01 Jan 2025 00:00:07 GMT', now, () => 0)).toBe(0);
  });

  it('is undefined when absent or unreadable, so backoff applies', () => {
    expect(retryAfterDelay(null)).toBeUndefined();
    expect(retryAfterDelay('')).toBeUndefined();
    expect(retryAfterDelay('soon')).toBeUndefined();
  });
});
