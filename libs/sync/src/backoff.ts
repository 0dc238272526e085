/** Exponential backoff with full jitter: attempt 1 → up to base, attempt n → up to base·2^(n-1), capped. */
export function backoffDelayMs(attempt: number, baseMs = 1000, capMs = 60_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Never below half the ceiling, so retries do not bunch up at zero.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
