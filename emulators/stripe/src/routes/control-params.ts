// The bodies of the control endpoints: integers, counts and which objects a bulk change acts on.
import type { ControlOptions, Selector } from '../customers/store';

export type Body = Record<string, unknown>;

/** `{ ids: [...] }` or `{ count: n }` (spread evenly over the list, newest to oldest). */
export function selector(body: Body): Selector {
  if (Array.isArray(body.ids) && body.ids.every((id) => typeof id === 'string') && body.count === undefined) {
    return { ids: body.ids };
  }
  if (body.ids === undefined) {
    return { count: optionalCount(body, 'count', 1) ?? 1 };
  }
  throw new RangeError('give either ids (an array of object ids) or count');
}

export function optionalInteger(body: Body, name: string): number | undefined {
  const value = body[name];
  if (value !== undefined && !Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be an integer`);
  }
  return value as number | undefined;
}

/** A count from `min` to 100,000 (more would make a test slow without testing anything new). */
export function optionalCount(body: Body, name: string, min: number): number | undefined {
  const value = optionalInteger(body, name);
  if (value !== undefined && (value < min || value > 100_000)) {
    throw new RangeError(`${name} must be from ${min} to 100000`);
  }
  return value;
}

/** `silent: true`: the change appends no event (see ControlOptions). */
export function silence(body: Body): ControlOptions {
  if (body.silent !== undefined && typeof body.silent !== 'boolean') {
    throw new RangeError('silent must be true or false');
  }
  return { silent: body.silent === true };
}
