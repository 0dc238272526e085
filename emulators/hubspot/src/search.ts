// Evaluation of a search over one object type: groups ORed, filters in a group ANDed; numbers and dates compare
// as numbers (dates accept epoch milliseconds or ISO), other values as case-insensitive strings. Archived records
// never match, nor do records written within the index lag (search reads an index that trails writes, §2.3).
// Results are sorted (ties by id ascending) and cut at the numeric `after` offset.
import type { ObjectType } from './object-types';
import { propertyDefinition } from './properties';
import type { ApiObject, CrmRecord, RecordStore } from './records';
import type { Filter, SearchRequest } from './search-request';

export interface SearchPage {
  total: number;
  results: ApiObject[];
  paging?: { next: { after: string } };
}

/** `visibleBefore`: records written (emulator clock) after this are not yet indexed. */
export function search(store: RecordStore, request: SearchRequest, visibleBefore: number): SearchPage {
  const matches: CrmRecord[] = [];
  for (const record of store.ascending(false)) {
    if (record.writtenAt <= visibleBefore && matchesAny(store, record, request)) {
      matches.push(record);
    }
  }
  if (request.sort?.propertyName === 'hs_object_id') {
    // Already in id order (the store is ascending by id).
    if (request.sort.direction === 'DESCENDING') {
      matches.reverse();
    }
  } else if (request.sort) {
    const { propertyName, direction } = request.sort;
    const keyed = matches.map((record) => ({ record, key: keyOf(store, record, propertyName) }));
    const sign = direction === 'ASCENDING' ? 1 : -1;
    keyed.sort((a, b) => sign * compareKeys(a.key, b.key) || a.record.id - b.record.id);
    matches.splice(0, matches.length, ...keyed.map(({ record }) => record));
  }
  const page = matches.slice(request.after, request.after + request.limit);
  const nextOffset = request.after + page.length;
  return {
    total: matches.length,
    results: page.map((record) => store.render(record, request.properties)),
    ...(nextOffset < matches.length && page.length > 0 ? { paging: { next: { after: String(nextOffset) } } } : {}),
  };
}

function matchesAny(store: RecordStore, record: CrmRecord, request: SearchRequest): boolean {
  if (request.query && !matchesQuery(store, record, request.query)) {
    return false;
  }
  if (request.filterGroups.length === 0) {
    return true;
  }
  return request.filterGroups.some((group) => group.every((filter) => matches(store, record, filter)));
}

/** Free text: every word must start some word of the record's default searchable values. */
function matchesQuery(store: RecordStore, record: CrmRecord, query: string): boolean {
  const text = ['email', 'firstname', 'lastname', 'name', 'domain', 'dealname', 'phone']
    .map((name) => store.value(record, name) ?? '')
    .join(' ')
    .toLowerCase();
  const words = text.split(/[^a-z0-9]+/);
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((term) => words.some((word) => word.startsWith(term)) || text.includes(term));
}

export function matches(store: RecordStore, record: CrmRecord, filter: Filter): boolean {
  // The id and dates are always present and compare as numbers; only token operators need their strings.
  const numeric = store.numeric(record, filter.propertyName);
  const raw =
    numeric === undefined || filter.operator.endsWith('TOKEN') ? store.value(record, filter.propertyName) : '';
  const present = numeric !== undefined || (raw !== null && raw !== '');
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'NOT_HAS_PROPERTY':
      return !present;
    case 'IN':
      return present && filter.values!.some((value) => equal(store, record, filter.propertyName, value));
    case 'NOT_IN':
      return !present || !filter.values!.some((value) => equal(store, record, filter.propertyName, value));
    case 'EQ':
      return present && equal(store, record, filter.propertyName, filter.value!);
    case 'NEQ':
      return !present || !equal(store, record, filter.propertyName, filter.value!);
    case 'CONTAINS_TOKEN':
      return present && containsToken(raw ?? '', filter.value!);
    case 'NOT_CONTAINS_TOKEN':
      return !present || !containsToken(raw ?? '', filter.value!);
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE':
    case 'BETWEEN':
      return present && inRange(store, record, filter);
  }
}

/** LT, LTE, GT, GTE and BETWEEN (inclusive), comparing as sortKey does. */
function inRange(store: RecordStore, record: CrmRecord, filter: Filter): boolean {
  const key = keyOf(store, record, filter.propertyName);
  const against = (value: string): number => compareKeys(key, sortKey(store.type, filter.propertyName, value));
  const low = against(filter.value!);
  if (filter.operator === 'BETWEEN') {
    return low >= 0 && against(filter.highValue!) <= 0;
  }
  const accepts: Record<string, (order: number) => boolean> = {
    LT: (order) => order < 0,
    LTE: (order) => order <= 0,
    GT: (order) => order > 0,
    GTE: (order) => order >= 0,
  };
  return accepts[filter.operator](low);
}

function equal(store: RecordStore, record: CrmRecord, name: string, value: string): boolean {
  return compareKeys(keyOf(store, record, name), sortKey(store.type, name, value)) === 0;
}

/** A record's comparison key for `name`: the id and dates straight from the record, the rest via sortKey. */
function keyOf(store: RecordStore, record: CrmRecord, name: string): Key {
  return store.numeric(record, name) ?? sortKey(store.type, name, store.value(record, name));
}

/** `*` is a wildcard inside a token, as HubSpot allows (`*@example.test`). */
function containsToken(raw: string, token: string): boolean {
  const pattern = new RegExp(`^${token.toLowerCase().split('*').map(escape).join('.*')}$`);
  return raw
    .toLowerCase()
    .split(/[\s,;]+/)
    .some((word) => pattern.test(word));
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

type Key = number | string;

/** Numbers and ids as numbers, dates as epoch ms (ms or ISO accepted), the rest lower-cased. */
export function sortKey(type: ObjectType, name: string, value: string | null): Key {
  if (value === null) {
    return '';
  }
  const kind = propertyDefinition(type, name)?.type;
  if (kind === 'number') {
    const number = Number(value);
    return Number.isNaN(number) ? value : number;
  }
  if (kind === 'datetime' || kind === 'date') {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isNaN(ms) ? value : ms;
  }
  return value.toLowerCase();
}

function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
