// Parameters of the bulk record control routes.
import type { ObjectType } from '../object-types';
import { propertyDefinition } from '../properties';
import type { CrmRecord } from '../records';
import type { HubSpotState } from '../state';

type Body = Record<string, unknown>;

/** At most this many records per create call (a 50,000-record portal is a reset, not a create). */
const MAX_CREATE = 100_000;

/** `count` records created at `createdAt` (default now) and last modified at `modifiedAt` (default createdAt). */
export function createRecords(state: HubSpotState, type: ObjectType, body: Body): CrmRecord[] {
  const count = body.count ?? 1;
  if (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > MAX_CREATE) {
    throw new RangeError(`count must be an integer from 1 to ${MAX_CREATE}`);
  }
  const createdAt = optionalMs(body.createdAt, 'createdAt') ?? state.clock.nowMs();
  const updatedAt = optionalMs(body.modifiedAt, 'modifiedAt') ?? createdAt;
  return state.stores[type].create(count as number, () => ({ createdAt, updatedAt }));
}

/** The live records a body selects: `ids`, or the `first` N live ids (ascending), or `all: true`. */
export function selectIds(state: HubSpotState, type: ObjectType, body: Body): number[] {
  const given = [body.ids !== undefined, body.first !== undefined, body.all === true].filter(Boolean).length;
  if (given !== 1) {
    throw new RangeError('give exactly one of ids (an array), first (a count) or all: true');
  }
  if (body.ids !== undefined) {
    if (!Array.isArray(body.ids) || body.ids.some((id) => !/^\d+$/.test(String(id)))) {
      throw new RangeError('ids must be an array of numeric ids');
    }
    return body.ids.map(Number);
  }
  const live = state.stores[type].idList(false);
  if (body.all === true) {
    return live;
  }
  if (!Number.isSafeInteger(body.first) || (body.first as number) < 1) {
    throw new RangeError('first must be a positive integer');
  }
  return live.slice(0, body.first as number);
}

/** `{prop: value}` of writable properties of `type`; values become strings, as HubSpot stores them. */
export function parseValues(type: ObjectType, set: unknown): Record<string, string> {
  if (set === null || typeof set !== 'object' || Array.isArray(set) || Object.keys(set).length === 0) {
    throw new RangeError('set must be an object of property names to values');
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(set as Record<string, unknown>)) {
    const property = propertyDefinition(type, name);
    if (!property) {
      throw new RangeError(`${type} has no property '${name}'`);
    }
    if (property.modificationMetadata.readOnlyValue) {
      throw new RangeError(`'${name}' is read-only; its value is set by HubSpot`);
    }
    values[name] = String(value);
  }
  return values;
}

function optionalMs(value: unknown, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new RangeError(`${name} must be epoch milliseconds`);
  }
  return value as number;
}
