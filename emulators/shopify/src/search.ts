// Shopify's search syntax for the `query` argument of customers, orders and products (cloud-apis.md §3.2):
// `field:value`, `field:>value` (also >=, <, <=), terms joined by AND (or by spaces), OR between groups, `-field:v`
// or `NOT field:v` to negate, values bare or quoted with ' or ". Dates compare as instants (`now` allowed; a date
// without a zone is UTC). A term with an empty value (`updated_at:>`) is what makes Shopify fail with an internal
// error (Airbyte #33827), so it throws EmptySearchValue; unknown fields are ignored, as Shopify ignores them.
import type { AnyRecord, OrderRecord, ProductRecord, Resource } from './records';

export class EmptySearchValue extends Error {}

export type Comparison = ':' | ':>' | ':>=' | ':<' | ':<=';

export interface SearchTerm {
  field: string;
  op: Comparison;
  value: string;
  negated: boolean;
}

/** Groups ORed together, terms ANDed within a group; free text has field ''. */
export type ParsedSearch = SearchTerm[][];

const TOKEN = /\s*(?:(-|NOT\s+)?([a-z_]+)(:>=|:<=|:>|:<|:)('[^']*'|"[^"]*"|[^\s()]*)|(\S+))/gy;

export function parseSearch(query: string): ParsedSearch {
  const groups: ParsedSearch = [[]];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < query.length && (match = TOKEN.exec(query)) !== null) {
    const [, negation, field, op, rawValue, bare] = match;
    if (bare !== undefined) {
      if (bare === 'OR') {
        groups.push([]);
      } else if (bare !== 'AND') {
        groups.at(-1)!.push({ field: '', op: ':', value: unquote(bare), negated: false });
      }
      continue;
    }
    const value = unquote(rawValue);
    if (value === '') {
      throw new EmptySearchValue(`empty value for ${field}${op}`);
    }
    groups.at(-1)!.push({ field, op: op as Comparison, value, negated: negation !== undefined });
  }
  return groups.filter((group) => group.length > 0);
}

function unquote(value: string): string {
  return /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** A predicate over one resource's records; `now` resolves the value `now`. */
export function searchPredicate(query: string, resource: Resource, now: number): (record: AnyRecord) => boolean {
  const groups = parseSearch(query);
  if (groups.length === 0) {
    return () => true;
  }
  return (record) =>
    groups.some((group) => group.every((term) => matches(term, record, resource, now) !== term.negated));
}

function matches(term: SearchTerm, record: AnyRecord, resource: Resource, now: number): boolean {
  switch (term.field) {
    case 'updated_at':
      return compareDate(record.updatedAt, term, now);
    case 'created_at':
      return compareDate(record.createdAt, term, now);
    case 'id':
      return compareNumber(record.id, term);
    case 'tag':
      return record.tags.some((tag) => tag.toLowerCase() === term.value.toLowerCase());
    case 'tag_not':
      return !record.tags.some((tag) => tag.toLowerCase() === term.value.toLowerCase());
    case 'email':
      return 'email' in record && (record.email ?? '').toLowerCase() === term.value.toLowerCase();
    case 'status':
      return matchesStatus(term.value, record, resource);
    case '':
      return JSON.stringify(record).toLowerCase().includes(term.value.toLowerCase());
    default:
      return resource === 'orders' || resource === 'products'
        ? matchesOther(term, record as OrderRecord | ProductRecord)
        : true;
  }
}

function matchesStatus(value: string, record: AnyRecord, resource: Resource): boolean {
  const wanted = value.toLowerCase().split(',');
  if (resource === 'products') {
    return wanted.includes((record as ProductRecord).status.toLowerCase());
  }
  if (resource === 'orders') {
    const order = record as OrderRecord;
    const status = order.cancelledAt !== null ? 'cancelled' : order.closedAt !== null ? 'closed' : 'open';
    return wanted.includes('any') || wanted.includes(status);
  }
  return true;
}

function matchesOther(term: SearchTerm, record: OrderRecord | ProductRecord): boolean {
  const value = term.value.toLowerCase();
  if ('financialStatus' in record) {
    if (term.field === 'financial_status') return record.financialStatus.toLowerCase() === value;
    if (term.field === 'fulfillment_status') return record.fulfillmentStatus.toLowerCase() === value;
    if (term.field === 'test') return String(record.test) === value;
    return true;
  }
  if (term.field === 'vendor') return record.vendor.toLowerCase() === value;
  if (term.field === 'product_type') return record.productType.toLowerCase() === value;
  if (term.field === 'title') return record.title.toLowerCase().includes(value);
  return true;
}

/** Epoch ms of a search date value, or undefined when it is not one (the term is then ignored). */
export function parseSearchDate(value: string, now: number): number | undefined {
  if (value === 'now') {
    return now;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) {
    return undefined;
  }
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(value) || value.length === 10 ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

function compareDate(actual: number, term: SearchTerm, now: number): boolean {
  const wanted = parseSearchDate(term.value, now);
  return wanted === undefined ? true : compare(actual, term.op, wanted);
}

function compareNumber(actual: number, term: SearchTerm): boolean {
  const wanted = Number(term.value);
  return Number.isFinite(wanted) ? compare(actual, term.op, wanted) : true;
}

function compare(actual: number, op: Comparison, wanted: number): boolean {
  switch (op) {
    case ':':
      return actual === wanted;
    case ':>':
      return actual > wanted;
    case ':>=':
      return actual >= wanted;
    case ':<':
      return actual < wanted;
    case ':<=':
      return actual <= wanted;
  }
}
