import type { CreatedWindow } from '../core/connector';
import type { ListParams } from './stripe.objects';

// Nothing on Stripe is older than this (2010-01-01): the lower end of the search for the oldest object.
export const STRIPE_EPOCH = 1_262_304_000;
// Stops the search for the oldest `created` once it is this fine relative to the span found so far.
const PRECISION = 64;
// Probes sent at once per round of the search: each round narrows the range 5-fold for one request's latency.
const PROBES_PER_ROUND = 4;
const MAX_ROUNDS = 20;

/** Whether the listing holds an object created before `t` (one `limit=1` request). */
export type ExistsBefore = (t: number) => Promise<boolean>;

/**
 * Stripe lists newest first and has no ascending sort and no totals, so the oldest `created` is found by
 * searching on `created[lt]` with `limit=1` between STRIPE_EPOCH and the newest object, PROBES_PER_ROUND
 * points at once (the answers are monotonic: once something exists before t, it does before any later t).
 * It only places window bounds, so it stops once its error is below 1/PRECISION of the span between it and
 * the newest object (3–5 rounds for months to years of objects); the first window is open below anyway,
 * so an object older than the estimate is still read.
 */
export async function oldestCreated(newest: number, existsBefore: ExistsBefore): Promise<number> {
  let lo = Math.min(STRIPE_EPOCH, newest); // nothing created at or before lo (or lo is the newest)
  let hi = newest; // something created at or before hi (the newest object itself)
  for (let round = 0; round < MAX_ROUNDS && hi - lo > Math.max(1, (newest - hi) / PRECISION); round++) {
    const points = [...new Set(Array.from({ length: PROBES_PER_ROUND }, (_, i) => splitAt(lo, hi, i + 1)))];
    const found = await Promise.all(points.map((t) => existsBefore(t + 1)));
    const first = found.indexOf(true);
    if (first === -1) {
      lo = points[points.length - 1];
    } else {
      hi = points[first];
      lo = first > 0 ? points[first - 1] : lo;
    }
  }
  return hi;
}

/** The i-th of PROBES_PER_ROUND points strictly between lo and hi (hi - lo ≥ 2). */
function splitAt(lo: number, hi: number, i: number): number {
  return Math.min(hi - 1, Math.max(lo + 1, lo + Math.floor(((hi - lo) * i) / (PROBES_PER_ROUND + 1))));
}

/** The list filter of a window: `created[gte]` and/or `created[lt]`. */
export function windowParams(window: CreatedWindow): Pick<ListParams, 'created'> {
  const created = {
    ...(window.gte !== null ? { gte: window.gte } : {}),
    ...(window.lt !== null ? { lt: window.lt } : {}),
  };
  return Object.keys(created).length > 0 ? { created } : {};
}
