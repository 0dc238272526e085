export interface AuthFailureLimits {
  /** Failures one client address may make per window (the burst, refilled evenly over the window). */
  perAddress: number;
  /** Failures the whole process accepts per window, across all addresses. */
  perProcess: number;
  windowMs: number;
}

export type FailureVerdict =
  { limited: false } | { limited: true; scope: 'address' | 'process'; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

// Enough for a scan from many addresses; beyond it the oldest entries go (they have refilled the most).
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Token buckets for failed authentications, per client address and per process. Only failures are
 * recorded: a valid credential never consults the limiter, so it is never slowed.
 */
export class AuthFailureLimiter {
  private readonly addresses = new Map<string, Bucket>();
  private readonly process: Bucket;

  constructor(
    private readonly limits: AuthFailureLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.process = { tokens: limits.perProcess, at: now() };
  }

  /** Records one failed authentication from `address`; says whether the caller must wait, and how long. */
  recordFailure(address: string): FailureVerdict {
    const now = this.now();
    const own = this.bucketOf(address, now);
    this.refill(this.process, this.limits.perProcess, now);
    if (own.tokens < 1) {
      return this.limited('address', own, this.limits.perAddress);
    }
    if (this.process.tokens < 1) {
      return this.limited('process', this.process, this.limits.perProcess);
    }
    own.tokens -= 1;
    this.process.tokens -= 1;
    return { limited: false };
  }

  private bucketOf(address: string, now: number): Bucket {
    let bucket = this.addresses.get(address);
    if (bucket) {
      this.refill(bucket, this.limits.perAddress, now);
      return bucket;
    }
    if (this.addresses.size >= MAX_TRACKED_ADDRESSES) {
      this.addresses.delete(this.addresses.keys().next().value as string);
    }
    bucket = { tokens: this.limits.perAddress, at: now };
    this.addresses.set(address, bucket);
    return bucket;
  }

  private refill(bucket: Bucket, capacity: number, now: number): void {
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) * capacity) / this.limits.windowMs);
    bucket.at = now;
  }

  private limited(scope: 'address' | 'process', bucket: Bucket, capacity: number): FailureVerdict {
    const waitMs = ((1 - bucket.tokens) * this.limits.windowMs) / capacity;
    // The epsilon keeps float noise (1000.0000001 ms) from adding a whole second.
    return { limited: true, scope, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000 - 1e-6)) };
  }
}
