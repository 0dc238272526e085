// HubSpot's limits for one portal (cloud-apis.md §2.6): a rolling 10-second burst window and a daily count for
// every call, and a separate per-second window for search. Windows run on real monotonic time (clients wait in
// real time); the day is the emulator clock's UTC day. A refused call does not count. Normal answers carry the
// X-HubSpot-RateLimit-* headers; search answers do not.
import { rateLimited, type RateLimitPolicy } from './errors';

export interface ThrottleLimits {
  /** Calls per rolling 10 s (Professional private app: 190; Free/Starter: 100); 0 turns throttling off. */
  burst: number;
  /** Search calls per second (5). */
  searchPerSecond: number;
  /** Calls per day (Professional: 650,000). */
  daily: number;
  /** Send Retry-After (seconds) on 429s; HubSpot does not always (§2.6), so both client branches get tested. */
  retryAfter: boolean;
}

export const HUBSPOT_LIMITS: ThrottleLimits = { burst: 190, searchPerSecond: 5, daily: 650_000, retryAfter: false };
export const NO_LIMITS: ThrottleLimits = { burst: 0, searchPerSecond: 0, daily: 0, retryAfter: false };

const BURST_MS = 10_000;
const SECOND_MS = 1000;

export class Throttle {
  private burstTimes: number[] = [];
  private searchTimes: number[] = [];
  private day = '';
  private dailyUsed = 0;

  constructor(
    public limits: ThrottleLimits,
    private readonly groupName: string,
  ) {}

  /**
   * Admits a call at `atMs` (monotonic) on UTC day `day`, or throws HubSpot's 429; returns the headers a non-search
   * answer carries (none when throttling is off).
   */
  admit(search: boolean, atMs: number, day: string): Record<string, string> {
    if (this.limits.burst === 0) {
      return {};
    }
    if (day !== this.day) {
      this.day = day;
      this.dailyUsed = 0;
    }
    this.burstTimes = this.burstTimes.filter((time) => time > atMs - BURST_MS);
    this.searchTimes = this.searchTimes.filter((time) => time > atMs - SECOND_MS);
    if (this.dailyUsed >= this.limits.daily) {
      this.refuse('DAILY', 24 * 3600);
    }
    if (search && this.searchTimes.length >= this.limits.searchPerSecond) {
      this.refuse('SECONDLY', 1);
    }
    if (!search && this.burstTimes.length >= this.limits.burst) {
      this.refuse('TEN_SECONDLY_ROLLING', Math.max(1, Math.ceil((this.burstTimes[0] + BURST_MS - atMs) / 1000)));
    }
    this.dailyUsed++;
    (search ? this.searchTimes : this.burstTimes).push(atMs);
    return search ? {} : this.headers();
  }

  clear(): void {
    this.burstTimes = [];
    this.searchTimes = [];
    this.dailyUsed = 0;
  }

  private headers(): Record<string, string> {
    const secondly = Math.floor(this.limits.burst / 10);
    return {
      'X-HubSpot-RateLimit-Daily': String(this.limits.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(this.limits.daily - this.dailyUsed),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(BURST_MS),
      'X-HubSpot-RateLimit-Max': String(this.limits.burst),
      'X-HubSpot-RateLimit-Remaining': String(this.limits.burst - this.burstTimes.length),
      'X-HubSpot-RateLimit-Secondly': String(secondly),
      'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, secondly - this.lastSecondCount())),
    };
  }

  private lastSecondCount(): number {
    const newest = this.burstTimes[this.burstTimes.length - 1] ?? 0;
    return this.burstTimes.filter((time) => time > newest - SECOND_MS).length;
  }

  private refuse(policy: RateLimitPolicy, retryAfterSeconds: number): never {
    throw rateLimited(policy, this.groupName, this.limits.retryAfter ? retryAfterSeconds : undefined);
  }
}

/** Validates limits from a control body or options; throws RangeError with the reason. */
export function parseLimits(body: unknown, base: ThrottleLimits): ThrottleLimits {
  const input = (body ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(input).filter((key) => !(key in base));
  if (unknown.length > 0) {
    throw new RangeError(`unknown field ${unknown.join(', ')}`);
  }
  const limits: ThrottleLimits = { ...base, ...input };
  for (const key of ['burst', 'searchPerSecond', 'daily'] as const) {
    if (!Number.isSafeInteger(limits[key]) || limits[key] < 0) {
      throw new RangeError(`${key} must be a non-negative integer (burst 0 turns throttling off)`);
    }
  }
  if (typeof limits.retryAfter !== 'boolean') {
    throw new RangeError('retryAfter must be a boolean');
  }
  return limits;
}
