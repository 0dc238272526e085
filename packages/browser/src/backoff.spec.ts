import { MAX_RETRY_DELAY_MS, retryAfterMs, retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  const middle = () => 0.5; // no jitter

  it('doubles from one second per attempt, jittered by at most a quarter either way', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, null, 0, middle))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(3, null, 0, () => 0)).toBe(3000);
    expect(retryDelayMs(3, null, 0, () => 0.999)).toBeLessThanOrEqual(5000);
  });

  it('caps the wait at five minutes however many attempts failed', () => {
    expect(retryDelayMs(40, null, 0, middle)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('waits what Retry-After says, in seconds or as an HTTP date, instead of its own backoff', () => {
    expect(retryDelayMs(1, '7', 0, middle)).toBe(7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs(5, 'Thu, 01 Jan 2026 00:00:30 GMT', now, middle)).toBe(30_000);
    expect(retryDelayMs(1, '100000', 0, middle)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('ignores an unreadable Retry-After', () => {
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs('')).toBeNull();
    expect(retryDelayMs(2, 'soon', 0, middle)).toBe(2000);
  });
});
