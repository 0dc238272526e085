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
  if (request.sort) {
    const { propertyName, direction } = request.sort;
    const keyed = matches.map((record) => ({
      record,
      key: sortKey(store.type, propertyName, store.value(record, propertyName)),
    }));
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
  const raw = store.value(record, filter.propertyName);
  const present = raw !== null && raw !== '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'NOT_HAS_PROPERTY':
      return !present;
    case 'IN':
      return present && filter.values!.some((value) => equal(store.type, filter.propertyName, raw, value));
    case 'NOT_IN':
      return !present || !filter.values!.some((value) => equal(store.type, filter.propertyName, raw, value));
    case 'EQ':
      return present && equal(store.type, filter.propertyName, raw, filter.value!);
    case 'NEQ':
      return !present || !equal(store.type, filter.propertyName, raw, filter.value!);
    case 'CONTAINS_TOKEN':
      return present && containsToken(raw, filter.value!);
    case 'NOT_CONTAINS_TOKEN':
      return !present || !containsToken(raw, filter.value!);
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE':
    case 'BETWEEN':
      return present && inRange(store.type, filter, raw);
  }
}

/** LT, LTE, GT, GTE and BETWEEN (inclusive), comparing as sortKey does. */
function inRange(type: ObjectType, filter: Filter, raw: string): boolean {
  const key = sortKey(type, filter.propertyName, raw);
  const against = (value: string): number => compareKeys(key, sortKey(type, filter.propertyName, value));
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

function equal(type: ObjectType, name: string, raw: string, value: string): boolean {
  return compareKeys(sortKey(type, name, raw), sortKey(type, name, value)) === 0;
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
