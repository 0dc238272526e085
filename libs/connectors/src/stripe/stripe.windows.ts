import type { CreatedWindow } from '../core/connector';
import type { ListParams } from './stripe.objects';

// Nothing on Stripe is older than this (2010-01-01): the lower end of the search for the oldest object.
export const STRIPE_EPOCH = 1_262_304_000;
// Stops the search for the oldest `created` once it is this fine relative to the span found so far.
const PRECISION = 64;
const MAX_PROBES = 40;

/** Whether the listing holds an object created before `t` (one `limit=1` request). */
export type ExistsBefore = (t: number) => Promise<boolean>;

/**
 * Stripe lists newest first and has no ascending sort and no totals, so the oldest `created` is found by
 * bisection on `created[lt]` with `limit=1` between STRIPE_EPOCH and the newest object. It is only used
 * to place window bounds, so it stops once its error is below 1/PRECISION of the span between it and the
 * newest object (about log2(PRECISION) + a few requests); the first window is open below anyway, so an
 * object older than the estimate is still read.
 */
export async function oldestCreated(newest: number, existsBefore: ExistsBefore): Promise<number> {
  let lo = Math.min(STRIPE_EPOCH, newest); // nothing before lo
  let hi = newest; // something at or before hi (the newest object itself)
  for (let probes = 0; probes < MAX_PROBES && hi - lo > Math.max(1, (newest - hi) / PRECISION); probes++) {
    const mid = Math.floor((lo + hi) / 2);
    if (await existsBefore(mid + 1)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi;
}

/** The list filter of a window: `created[gte]` and/or `created[lt]`. */
export function windowParams(window: CreatedWindow): Pick<ListParams, 'created'> {
  const created = {
    ...(window.gte !== null ? { gte: window.gte } : {}),
    ...(window.lt !== null ? { lt: window.lt } : {}),
  };
  return Object.keys(created).length > 0 ? { created } : {};
}
