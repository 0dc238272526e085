/** How long to wait before attempt `attempt + 1` (attempt counts from 1). */
export interface BackoffPolicy {
  minDelay: number;
  maxDelay: number;
}

/**
 * Exponential backoff with "equal jitter": half of min(max, min·2^(attempt-1)) for sure, the other half
 * random, so many clients retrying after the same outage spread out but never retry at once.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelay, policy.minDelay * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Retry-After in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable.
 * A little jitter on top, so clients told the same second don't all come back in it.
 */
export function retryAfterDelay(
  header: string | null,
  now: number = Date.now(),
  random: () => number = Math.random,
): number | undefined {
  if (header === null || header.trim() === '') {
    return undefined;
  }
  const seconds = Number(header);
  const base = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(base)) {
    return undefined;
  }
  return Math.max(0, Math.round(base)) + Math.round(250 * random());
}
