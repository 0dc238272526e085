import type { RequestRate } from '@app/connectors';

/**
 * A token bucket kept as one timestamp (GCRA): `fullAtMs`, when the bucket would be full again (null or
 * past: it is full). Taking a request moves it one interval (1/rate) later; the request may go once the
 * bucket holds a token, i.e. `burst` intervals before `fullAtMs`. Callers reserve their turn and wait for
 * it, so concurrent takers queue in order instead of polling. In any window of L seconds at most
 * burst + rate·L requests go.
 */
export interface Reservation {
  fullAtMs: number;
  /** How long the caller waits before sending its request (0: at once). */
  waitMs: number;
}

/**
 * The reference of RequestBudgets.reserve, which does the same in one SQL statement. A request of `cost` takes
 * that many tokens (moves `fullAtMs` by that many intervals) and goes once the bucket holds them all.
 */
export function reserve(fullAtMs: number | null, nowMs: number, rate: RequestRate, cost = 1): Reservation {
  const interval = intervalMs(rate);
  const next = Math.max(fullAtMs ?? nowMs, nowMs) + cost * interval;
  return { fullAtMs: next, waitMs: Math.max(0, next - rate.burst * interval - nowMs) };
}

/**
 * The provider throttled us: nothing on the account goes for `holdMs`, and it then restarts from an empty
 * bucket (paced at the rate, no burst), so every source on the account backs off together.
 */
export function penalise(fullAtMs: number | null, nowMs: number, rate: RequestRate, holdMs: number): number {
  return Math.max(fullAtMs ?? nowMs, nowMs + holdMs + (rate.burst - 1) * intervalMs(rate));
}

/**
 * The reference of RequestBudgets.settle. After an answer: `refund` points taken and not charged move `fullAtMs`
 * back that many intervals, never before `nowMs` (the bucket never holds more than `burst`); then, when the
 * provider reports holding only `available` points, the bucket holds no more (`fullAtMs` at least
 * `burst - available` intervals ahead). Reservations already queued stay counted: the later of the two wins.
 */
export function settle(
  fullAtMs: number | null,
  nowMs: number,
  rate: RequestRate,
  refund: number,
  available?: number,
): number {
  const interval = intervalMs(rate);
  const refunded = Math.max((fullAtMs ?? nowMs) - Math.max(0, refund) * interval, nowMs);
  return available === undefined
    ? refunded
    : Math.max(refunded, nowMs + (rate.burst - Math.max(0, available)) * interval);
}

export function intervalMs(rate: RequestRate): number {
  if (!(rate.perSecond > 0) || !(rate.burst >= 1)) {
    throw new RangeError(`a request rate needs perSecond > 0 and burst >= 1, got ${JSON.stringify(rate)}`);
  }
  return 1000 / rate.perSecond;
}
