import type { CreatedWindow } from '@app/connectors';

/**
 * Splits the `created` range of a listing into at most `count` windows of equal time span. The first
 * window is open below and the last open above: an object older than the (estimated) oldest is still
 * read, and so is every object created while the sync runs. Windows never overlap, so each object is read
 * by exactly one of them. Equal spans balance well when objects were created at a steady rate; a listing
 * that grew fast puts more into the last windows (a known limit: Stripe gives no counts to do better).
 */
export function createdWindows(range: { oldest: number; newest: number }, count: number): CreatedWindow[] {
  const span = range.newest + 1 - range.oldest;
  const n = Math.max(1, Math.min(count, span));
  const bounds = Array.from({ length: n - 1 }, (_, i) => range.oldest + Math.floor(((i + 1) * span) / n));
  return Array.from({ length: n }, (_, i) => ({
    gte: i === 0 ? null : bounds[i - 1],
    lt: i === n - 1 ? null : bounds[i],
  }));
}
