// Stripe's request-rate limiter, per account (cloud-apis.md §1.6: 25 requests per second in test mode): with a
// limit set, a request arriving when its account already made that many within the last second gets Stripe's
// plain 429 `rate_limit` (no Retry-After, no Stripe-Should-Retry), and does not count. Off by default (0), because
// tests and benchmarks measure our own request budget against the emulator (stats.ts), not Stripe's limiter.

const WINDOW_MS = 1000;

export class RateLimiter {
  private readonly arrivals = new Map<string, number[]>();

  /** `perSecond`: 0 for no limit. */
  constructor(public perSecond = 0) {}

  /** True when a request of `account` arriving at `atMs` (monotonic) is within the limit; it then counts. */
  admit(account: string, atMs: number): boolean {
    if (this.perSecond === 0) {
      return true;
    }
    const recent = (this.arrivals.get(account) ?? []).filter((time) => time > atMs - WINDOW_MS);
    const admitted = recent.length < this.perSecond;
    if (admitted) {
      recent.push(atMs);
    }
    this.arrivals.set(account, recent);
    return admitted;
  }

  clear(): void {
    this.arrivals.clear();
  }
}

/** A limit in requests per second, 0 (off) to 10,000; throws RangeError with the reason otherwise. */
export function parseRateLimit(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 10_000) {
    throw new RangeError('perSecond must be an integer from 0 (off) to 10000');
  }
  return value as number;
}
