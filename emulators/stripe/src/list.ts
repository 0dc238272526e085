// Stripe's list protocol (cloud-apis.md §1.3): envelope `{ object: 'list', url, has_more, data }`, newest
// first, `limit` 1–100 (default 10), `starting_after` = the page after that object in list order,
// `ending_before` = the page just before it, `created` exact or `created[gt|gte|lt|lte]`.
import { invalidRequest } from './errors';
import { integerParam, type QueryParams, stringParam } from './query';

export interface ListEnvelope<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** What every listed object has: lists sort on these. */
export interface Listed {
  id: string;
  created: number;
}

/** Stripe's list order: `created` descending, then id descending for equal timestamps. */
export function compareNewestFirst(a: Listed, b: Listed): number {
  if (a.created !== b.created) {
    return b.created - a.created;
  }
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** At most one cursor: `starting_after` or `ending_before`, naming an object id. */
export type Cursor = { param: 'starting_after' | 'ending_before'; id: string } | undefined;

export interface ListParams {
  limit: number;
  cursor: Cursor;
  created: (created: number) => boolean;
}

/** The parameters every list shares: `created`, `ending_before`, `limit`, `starting_after` (and `expand`). */
export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'created', ...rangeKeys('created')];

export function rangeKeys(name: string): string[] {
  return ['gt', 'gte', 'lt', 'lte'].map((op) => `${name}[${op}]`);
}

/** Validates `limit`, the cursors and `created` as Stripe does, in that order. */
export function parseListParams(params: QueryParams): ListParams {
  const limit = integerParam(params, 'limit') ?? 10;
  if (limit < 1) {
    throw invalidRequest('This value must be greater than or equal to 1.', { param: 'limit' });
  }
  if (limit > 100) {
    throw invalidRequest('This value must be less than or equal to 100.', { param: 'limit' });
  }
  const startingAfter = stringParam(params, 'starting_after');
  const endingBefore = stringParam(params, 'ending_before');
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw invalidRequest('Received both starting_after and ending_before parameters. Please pass in only one.');
  }
  const cursor: Cursor =
    startingAfter !== undefined
      ? { param: 'starting_after', id: startingAfter }
      : endingBefore !== undefined
        ? { param: 'ending_before', id: endingBefore }
        : undefined;
  return { limit, cursor, created: rangeFilter(params, 'created') };
}

/** `name=<t>` for an exact match, or any of `name[gt|gte|lt|lte]=<t>`, combined with AND. */
export function rangeFilter(params: QueryParams, name: string): (value: number) => boolean {
  const exact = integerParam(params, name);
  const [gt, gte, lt, lte] = rangeKeys(name).map((key) => integerParam(params, key));
  return (value) =>
    (exact === undefined || value === exact) &&
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte) &&
    (lt === undefined || value < lt) &&
    (lte === undefined || value <= lte);
}

/**
 * One page of `sorted` (already in list order). `position` finds a cursor object in `sorted`; it is
 * called only when a cursor is given, and a missing object is the caller's error to raise first.
 * Scans only as far as the page needs, so paging through large lists stays linear.
 */
export function paginate<T>(
  sorted: readonly T[],
  params: ListParams,
  position: (id: string) => number,
  matches: (item: T) => boolean,
  url: string,
): ListEnvelope<T> {
  const { limit, cursor } = params;
  if (cursor?.param === 'ending_before') {
    // The page just before the cursor: the `limit` matching objects nearest to it, still newest first.
    const before = collect(sorted, position(cursor.id) - 1, -1, limit + 1, matches);
    return envelope(before.slice(0, limit).reverse(), before.length > limit, url);
  }
  const start = cursor ? position(cursor.id) + 1 : 0;
  const after = collect(sorted, start, 1, limit + 1, matches);
  return envelope(after.slice(0, limit), after.length > limit, url);
}

/** Up to `max` matching items from `from`, walking by `step` (+1 towards older, -1 towards newer). */
function collect<T>(sorted: readonly T[], from: number, step: 1 | -1, max: number, matches: (item: T) => boolean): T[] {
  const found: T[] = [];
  for (let i = from; i >= 0 && i < sorted.length && found.length < max; i += step) {
    if (matches(sorted[i])) {
      found.push(sorted[i]);
    }
  }
  return found;
}

/** Stripe's key order for lists: `object`, `data`, `has_more`, `url`. */
function envelope<T>(data: T[], hasMore: boolean, url: string): ListEnvelope<T> {
  return { object: 'list', data, has_more: hasMore, url };
}
