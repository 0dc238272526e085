// Validation of a search body (cloud-apis.md §2.3) into a typed request; every refusal is HubSpot's 400
// VALIDATION_ERROR naming what to fix. The limits are HubSpot's since 2024-08: 5 groups, 10 filters per group,
// 25 filters in all, `limit` up to 200, and no result past the 10,000th.
import { validationError } from './errors';
import type { ObjectType } from './object-types';
import { propertyDefinition } from './properties';

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchRequest {
  filterGroups: Filter[][];
  sort?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' };
  properties?: string[];
  limit: number;
  after: number;
  query?: string;
}

export const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 10, filters: 25, limit: 200, results: 10_000 };

export function parseSearch(type: ObjectType, body: unknown): SearchRequest {
  const input = (body ?? {}) as Record<string, unknown>;
  const limit = input.limit === undefined ? 10 : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMITS.limit) {
    throw validationError(
      `Invalid input JSON on line 1: limit must be an integer from 0 to ${SEARCH_LIMITS.limit}, got ${String(input.limit)}`,
    );
  }
  const after = input.after === undefined || input.after === null ? 0 : Number(input.after);
  if (!Number.isInteger(after) || after < 0) {
    throw validationError(`after must be a non-negative numeric offset, got '${String(input.after)}'`);
  }
  if (after + limit > SEARCH_LIMITS.results) {
    throw validationError(
      `Search results are limited to ${SEARCH_LIMITS.results} per query: after (${after}) plus limit (${limit}) goes past it. Narrow the filters instead of paging further.`,
    );
  }
  const filterGroups = parseGroups(type, input.filterGroups);
  return {
    filterGroups,
    sort: parseSort(type, input.sorts),
    properties: Array.isArray(input.properties) ? input.properties.map(text) : undefined,
    limit,
    after,
    query: typeof input.query === 'string' && input.query.trim() !== '' ? input.query.trim() : undefined,
  };
}

function parseGroups(type: ObjectType, raw: unknown): Filter[][] {
  if (raw === undefined) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw validationError('filterGroups must be an array of {filters:[...]}');
  }
  if (raw.length > SEARCH_LIMITS.groups) {
    throw validationError(`Too many filter groups: ${raw.length}; at most ${SEARCH_LIMITS.groups} are allowed.`);
  }
  const groups = raw.map((group: { filters?: unknown }) => {
    if (!Array.isArray(group?.filters)) {
      throw validationError('each filter group needs a filters array');
    }
    if (group.filters.length > SEARCH_LIMITS.filtersPerGroup) {
      throw validationError(
        `Too many filters in a group: ${group.filters.length}; at most ${SEARCH_LIMITS.filtersPerGroup} per group are allowed.`,
      );
    }
    return group.filters.map((filter: unknown) => parseFilter(type, filter));
  });
  const total = groups.reduce((sum, group) => sum + group.length, 0);
  if (total > SEARCH_LIMITS.filters) {
    throw validationError(
      `Too many filters: ${total}; at most ${SEARCH_LIMITS.filters} across all groups are allowed.`,
    );
  }
  return groups;
}

function parseFilter(type: ObjectType, raw: unknown): Filter {
  const filter = (raw ?? {}) as Record<string, unknown>;
  const propertyName = text(filter.propertyName);
  if (!propertyDefinition(type, propertyName)) {
    throw validationError(
      `There was a problem with the request: property '${propertyName}' does not exist on ${type}.`,
    );
  }
  const operator = (filter.operator === undefined ? 'EQ' : text(filter.operator)) as Operator;
  if (!OPERATORS.includes(operator)) {
    throw validationError(`Unknown operator '${operator}'; use one of ${OPERATORS.join(', ')}.`);
  }
  const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(operator);
  if (needsValue && (filter.value === undefined || filter.value === null)) {
    throw validationError(`Filter on '${propertyName}' with ${operator} needs a value.`);
  }
  if (operator === 'BETWEEN' && filter.highValue === undefined) {
    throw validationError(`Filter on '${propertyName}' with BETWEEN needs a highValue.`);
  }
  if ((operator === 'IN' || operator === 'NOT_IN') && !Array.isArray(filter.values)) {
    throw validationError(`Filter on '${propertyName}' with ${operator} needs values (an array).`);
  }
  return {
    propertyName,
    operator,
    ...(filter.value === undefined ? {} : { value: text(filter.value) }),
    ...(filter.highValue === undefined ? {} : { highValue: text(filter.highValue) }),
    ...(Array.isArray(filter.values) ? { values: filter.values.map(text) } : {}),
  };
}

/** One sort: `{propertyName, direction}` or a bare name (ascending). HubSpot sorts by one property. */
function parseSort(type: ObjectType, raw: unknown): SearchRequest['sort'] {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length > 1) {
    throw validationError('sorts takes one sort: [{propertyName, direction}]');
  }
  const sort = typeof raw[0] === 'string' ? { propertyName: raw[0] } : ((raw[0] ?? {}) as Record<string, unknown>);
  const propertyName = text(sort.propertyName);
  const direction = sort.direction === undefined ? 'ASCENDING' : text(sort.direction);
  if (!propertyDefinition(type, propertyName)) {
    throw validationError(`Cannot sort by '${propertyName}': no such property on ${type}.`);
  }
  if (direction !== 'ASCENDING' && direction !== 'DESCENDING') {
    throw validationError(`Sort direction must be ASCENDING or DESCENDING, got '${direction}'.`);
  }
  return { propertyName, direction };
}

/** A JSON scalar as the string HubSpot compares; anything else as its JSON, so the error message shows it. */
function text(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}
