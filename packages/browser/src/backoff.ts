/** Longest wait between two delivery attempts, whatever the server or the attempt count says. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;
const BASE_DELAY_MS = 1_000;

/**
 * How long to wait before attempt `attempt` (1 = first retry): `Retry-After` when the server sent one
 * (seconds, or an HTTP date), else exponential backoff from 1 s with ±25 % jitter so that many tabs
 * coming back online do not retry in lockstep. Always within [0, MAX_RETRY_DELAY_MS].
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null = null,
  now: number = Date.now(),
  random: () => number = Math.random,
): number {
  const told = retryAfterMs(retryAfter, now);
  if (told !== null) {
    return Math.min(told, MAX_RETRY_DELAY_MS);
  }
  const exponential = BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1);
  const jittered = exponential * (0.75 + random() * 0.5);
  return Math.round(Math.min(jittered, MAX_RETRY_DELAY_MS));
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') {
    return null;
  }
  if (/^\d+(\.\d+)?$/.test(value.trim())) {
    return Math.round(Number(value) * 1000);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
