// Relay connections as Shopify pages them (cloud-apis.md §3.2): `first` or `last` (1–250), opaque `after`/`before`
// cursors that carry the last id and sort value (base64 JSON, as Shopify's do), `reverse`, `pageInfo`, and an error
// once a page would reach past the 25,000th object of a listing (the pagination depth cap). Bulk operations read
// whole listings and skip all of that.
import { badRequest } from './errors';

export const MAX_PAGE_SIZE = 250;
export const MAX_PAGINATION_DEPTH = 25_000;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Page<T> {
  items: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** first/last as asked: the cost model charged for this many. */
  requested: number;
}

interface Position {
  last_id: number;
  last_value: number | string;
}

export function encodeCursor(id: number, value: number | string): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value } satisfies Position)).toString('base64');
}

function decodeCursor(cursor: string): Position {
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as Position;
    if (typeof position.last_id === 'number' && position.last_value !== undefined) {
      return position;
    }
  } catch {
    // falls through to the error below
  }
  throw badRequest(`Invalid cursor for current pagination sort.`);
}

/** The page size asked for, validated as Shopify validates it. */
export function requestedSize(args: ConnectionArgs): number {
  const { first, last } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) {
    throw badRequest('you must provide one of first or last');
  }
  if (first !== undefined && first !== null && last !== undefined && last !== null) {
    throw badRequest('providing both first and last is not supported');
  }
  const size = (first ?? last)!;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw badRequest(
      `The ${first !== undefined && first !== null ? 'first' : 'last'} argument must be between 0 and ${MAX_PAGE_SIZE}.`,
    );
  }
  return size;
}

/**
 * One page of `ordered` (ascending by `key`, ties by id). `key` values are numbers; `display` turns one into the
 * cursor's `last_value` (ISO for times), `parse` back.
 */
export function paginate<T extends { id: number }>(
  ordered: readonly T[],
  key: (item: T) => number,
  args: ConnectionArgs,
  codec: { display(value: number): number | string; parse(value: number | string): number },
): Page<T> {
  const requested = requestedSize(args);
  const list = args.reverse ? [...ordered].reverse() : ordered;
  const sign = args.reverse ? -1 : 1;
  /** Negative when `item` comes before the cursor position in the listing's order. */
  const versus = (item: T, position: Position): number => {
    const value = codec.parse(position.last_value);
    return sign * (key(item) - value || item.id - position.last_id);
  };
  let start = 0;
  let end = list.length;
  if (args.after) {
    const after = decodeCursor(args.after);
    start = firstIndex(list, (item) => versus(item, after) > 0);
  }
  if (args.before) {
    const before = decodeCursor(args.before);
    end = Math.max(
      start,
      firstIndex(list, (item) => versus(item, before) >= 0),
    );
  }
  const fromEnd = args.last !== undefined && args.last !== null;
  const pageStart = fromEnd ? Math.max(start, end - requested) : start;
  const pageEnd = fromEnd ? end : Math.min(end, start + requested);
  if (pageEnd > MAX_PAGINATION_DEPTH && pageEnd > pageStart) {
    throw badRequest(
      `Pagination depth exceeded: a connection can be paged through at most ${MAX_PAGINATION_DEPTH} objects. ` +
        'Narrow the query with a search filter (for example on updated_at) to read further.',
      'PAGINATION_DEPTH_EXCEEDED',
    );
  }
  const items = list.slice(pageStart, pageEnd);
  return {
    items,
    cursors: items.map((item) => encodeCursor(item.id, codec.display(key(item)))),
    hasNextPage: pageEnd < list.length,
    hasPreviousPage: pageStart > 0,
    requested,
  };
}

/** The first index whose item satisfies `test`, for a test that is false then true along the list. */
function firstIndex<T>(list: readonly T[], test: (item: T) => boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(list[middle])) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}
