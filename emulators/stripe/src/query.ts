// Query strings as Stripe reads them: bracket keys (`created[gte]=1`, `expand[0]=x`, `expand[]=x`) arrive
// unencoded from stripe-node and encoded from other clients; both decode to the same key. We parse the raw
// URL ourselves because Fastify's parser knows nothing of brackets.
import { emptyParameter, invalidEnum, invalidInteger, unknownParameter } from './errors';

/** Decoded `key → value` pairs; a repeated key keeps its last value, as Stripe's parser does, except in
 * arrays (`types[]=a&types[]=b`), which arrayParam reads from all the pairs in request order. */
export class QueryParams extends Map<string, string> {
  constructor(readonly pairs: readonly [string, string][] = []) {
    super(pairs);
  }
}

export function parseQuery(rawUrl: string): QueryParams {
  const queryStart = rawUrl.indexOf('?');
  const search = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
  return new QueryParams([...new URLSearchParams(search)]);
}

/** `name[]=…` or `name[0]=…` (both spellings of an array), else false. */
export function isArrayKey(key: string, name: string): boolean {
  return key.startsWith(`${name}[`) && /^\[\d*\]$/.test(key.slice(name.length));
}

/** The values of array `name` (indexed ones in index order, then `[]` ones in request order), or undefined. */
export function arrayParam(params: QueryParams, name: string): string[] | undefined {
  const items = params.pairs.filter(([key]) => isArrayKey(key, name));
  if (items.length === 0) {
    return undefined;
  }
  const index = (key: string): number => Number(key.slice(name.length + 1, -1) || Number.MAX_SAFE_INTEGER);
  return [...items].sort(([a], [b]) => index(a) - index(b)).map(([, value]) => value);
}

/** `expand[]`, `expand[0]`… and plain `expand` are accepted and ignored: customers have nothing to expand here. */
export function isExpand(key: string): boolean {
  return /^expand(\[\d*\])?$/.test(key);
}

/**
 * Throws Stripe's "Received unknown parameter" for the first key not in `allowed` (expand always allowed);
 * `name[]` in `allowed` admits both array spellings.
 */
export function rejectUnknown(params: QueryParams, allowed: readonly string[]): void {
  const arrays = allowed.filter((name) => name.endsWith('[]')).map((name) => name.slice(0, -2));
  for (const key of params.keys()) {
    if (!allowed.includes(key) && !isExpand(key) && !arrays.some((name) => isArrayKey(key, name))) {
      throw unknownParameter(key);
    }
  }
}

/** A non-empty string parameter, or undefined when absent. */
export function stringParam(params: QueryParams, name: string): string | undefined {
  const value = params.get(name);
  if (value === '') {
    throw emptyParameter(name);
  }
  return value;
}

/** An integer parameter (Stripe refuses `1.5`, `abc` and empty strings), or undefined when absent. */
export function integerParam(params: QueryParams, name: string): number | undefined {
  const value = stringParam(params, name);
  if (value === undefined) {
    return undefined;
  }
  if (!/^-?\d+$/.test(value.trim())) {
    throw invalidInteger(name, value);
  }
  return Number(value);
}

/** One of `allowed`, or undefined when absent. */
export function enumParam<T extends string>(params: QueryParams, name: string, allowed: readonly T[]): T | undefined {
  const value = stringParam(params, name);
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
    throw invalidEnum(name, allowed);
  }
  return value as T | undefined;
}
