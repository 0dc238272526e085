import type { ChangeVersion } from '../core/connector';
import { ProviderError } from '../core/provider-error';

/**
 * Where an incremental read of one object stands. A run is two passes over HubSpot: the CRM search for records
 * modified since `sinceMs` (ascending ids, after `afterId`), then the archived listing (ascending ids, after
 * `after`) for records archived since `sinceMs`. Both passes are ordered by id, not by time, so the cursor
 * (not a position) says where a killed run resumes.
 */
export type ChangeCursor =
  | { phase: 'search'; sinceMs: number; afterId: string | null }
  | { phase: 'archived'; sinceMs: number; after: string | null };

/** The search endpoint's maximum page (cloud-apis.md §2.3). */
export const SEARCH_PAGE_SIZE = 200;

/** The property search filters modification times on: `lastmodifieddate` on contacts only (cloud-apis.md §2.3). */
export function modifiedProperty(object: string): string {
  return object === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

/**
 * One search page: modified at or after `sinceMs`, above `afterId`, ascending ids, from offset 0. Every page
 * restarts at `after: 0` with `hs_object_id > last id` (keyset paging) rather than paging offsets up to the
 * 10,000-result ceiling and restarting there: offsets shift under a pass when a record below them is archived
 * or re-indexed (it leaves the results), which would skip the record at the page boundary; an id filter
 * cannot, and never reaches the ceiling. hs_object_id is a number property: HubSpot compares it as a number.
 */
export function searchRequest(object: string, cursor: ChangeCursor & { phase: 'search' }, properties: string[]) {
  const filters = [{ propertyName: modifiedProperty(object), operator: 'GTE', value: String(cursor.sinceMs) }];
  if (cursor.afterId !== null) {
    filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: cursor.afterId });
  }
  return {
    filterGroups: [{ filters }],
    sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
    properties,
    limit: SEARCH_PAGE_SIZE,
    after: '0',
  };
}

/**
 * Where the search pass goes after a page. Only a missing `paging.next` ends it: a short page is not the end
 * (Airbyte #80745). The next page starts above the largest id of this one, compared as numbers: ids grow in
 * length, and as strings '9' > '10' (Airbyte #79666).
 */
export function afterSearchPage(
  cursor: ChangeCursor & { phase: 'search' },
  answer: { results: { id: string }[]; paging?: { next?: { after?: string } } },
): ChangeCursor {
  if (!answer.paging?.next) {
    return { phase: 'archived', sinceMs: cursor.sinceMs, after: null };
  }
  const last = largestId(answer.results.map((record) => record.id));
  if (last === null) {
    // More results promised but none given: retrying the same page is safe, moving on is not.
    throw new ProviderError('transient', 'HubSpot answered an empty search page with more to follow', 'hubspot');
  }
  return { phase: 'search', sinceMs: cursor.sinceMs, afterId: last };
}

/** The largest of HubSpot's numeric string ids, as numbers (BigInt: no precision limit). */
export function largestId(ids: readonly string[]): string | null {
  let largest: bigint | null = null;
  for (const id of ids) {
    if (!/^\d+$/.test(id)) {
      throw new ProviderError('transient', 'HubSpot answered a record id that is not a number', 'hubspot');
    }
    const value = BigInt(id);
    if (largest === null || value > largest) {
      largest = value;
    }
  }
  return largest === null ? null : largest.toString();
}

/**
 * A record's version from a HubSpot time (epoch ms): the second, and the millisecond as a fixed-width id, so
 * one state read twice (the lookback) is the same version and a later millisecond of the same second a newer
 * one. An archive of the same millisecond as the last modification sorts after it (':' follows the digits).
 */
export function versionAt(ms: number, archived = false): ChangeVersion {
  return { at: Math.floor(ms / 1000), id: `${String(ms).padStart(16, '0')}${archived ? ':archived' : ''}` };
}

export function encodeCursor(cursor: ChangeCursor): string {
  return JSON.stringify(cursor);
}

/** Our own cursor back; anything else (a cursor of another connector version) is a bug, not HubSpot's. */
export function decodeCursor(text: string): ChangeCursor {
  const cursor = parseJson(text) as Partial<ChangeCursor> | null;
  const since = cursor?.sinceMs;
  if (typeof since === 'number' && Number.isSafeInteger(since)) {
    const afterId = cursor?.phase === 'search' ? cursor.afterId : undefined;
    if (afterId === null || (typeof afterId === 'string' && /^\d+$/.test(afterId))) {
      return { phase: 'search', sinceMs: since, afterId };
    }
    if (cursor?.phase === 'archived' && (cursor.after === null || typeof cursor.after === 'string')) {
      return { phase: 'archived', sinceMs: since, after: cursor.after };
    }
  }
  throw new ProviderError('invalid', 'The saved HubSpot change cursor is not one this connector wrote', 'hubspot');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
