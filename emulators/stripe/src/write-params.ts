// Reading the parameters of a write (form.ts) as Stripe does: unknown ones refused, an empty string unsets a
// field, `metadata[k]=` removes one key and `metadata=` all of them.
import {
  emptyParameter,
  invalidEnum,
  invalidInteger,
  invalidRequest,
  missingParameter,
  unknownParameter,
} from './errors';
import type { Form, FormValue } from './form';
import { isExpand } from './query';

/** Throws Stripe's "Received unknown parameter" for the first field not in `allowed` (expand always allowed). */
export function rejectUnknownFields(form: Form, allowed: readonly string[]): void {
  const unknown = Object.keys(form).find((key) => !allowed.includes(key) && !isExpand(key));
  if (unknown !== undefined) {
    throw unknownParameter(unknown);
  }
}

/** A string field: undefined when absent, null when sent empty (unset). */
export function nullableString(form: Form, name: string): string | null | undefined {
  const value = form[name];
  if (value !== undefined && typeof value !== 'string') {
    throw invalidRequest(`Invalid string: ${JSON.stringify(value)}`, { code: 'parameter_invalid_string', param: name });
  }
  return value === '' ? null : value;
}

/** A required string field: absent → Stripe's `Missing required param`, empty → its empty-string 400. */
export function requiredString(form: Form, name: string): string {
  const value = nullableString(form, name);
  if (value === undefined) {
    throw missingParameter(name);
  }
  if (value === null) {
    throw emptyParameter(name);
  }
  return value;
}

/** An optional string field that cannot be unset. */
export function optionalString(form: Form, name: string): string | undefined {
  const value = nullableString(form, name);
  if (value === null) {
    throw emptyParameter(name);
  }
  return value ?? undefined;
}

/** A whole number from `min` up, or undefined when absent; Stripe's `Invalid integer` otherwise. */
export function integerField(form: Form, name: string, min = 0): number | undefined {
  const value = optionalString(form, name);
  if (value === undefined) {
    return undefined;
  }
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw invalidInteger(name, value);
  }
  if (Number(value) < min) {
    throw invalidRequest(`This value must be greater than or equal to ${min}.`, { param: name });
  }
  return Number(value);
}

/** One of `allowed`, or undefined when absent. */
export function enumField<T extends string>(form: Form, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(form, name);
  if (value !== undefined && !allowed.includes(value as T)) {
    throw invalidEnum(name, allowed);
  }
  return value as T | undefined;
}

export function booleanField(form: Form, name: string): boolean | undefined {
  const value = form[name];
  if (value === undefined) {
    return undefined;
  }
  if (value !== 'true' && value !== 'false') {
    throw invalidRequest(`Invalid boolean: ${JSON.stringify(value)}`, {
      code: 'parameter_invalid_boolean',
      param: name,
    });
  }
  return value === 'true';
}

/** `current` with the sent `metadata` merged in, or undefined when none was sent. */
export function mergedMetadata(form: Form, current: Record<string, string>): Record<string, string> | undefined {
  const value: FormValue | undefined = form.metadata;
  if (value === undefined) {
    return undefined;
  }
  if (value === '') {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw invalidRequest('Invalid hash', { code: 'parameter_invalid_hash', param: 'metadata' }); // wording is a guess
  }
  const merged = { ...current };
  for (const [key, entry] of Object.entries(value as Record<string, string>)) {
    if (entry === '') {
      delete merged[key];
    } else {
      merged[key] = entry;
    }
  }
  return merged;
}

/** A required whole number from `min` up. */
export function requiredInteger(form: Form, name: string, min = 0): number {
  const value = integerField(form, name, min);
  if (value === undefined) {
    throw missingParameter(name);
  }
  return value;
}

/** `currency`, required; the emulated account bills in USD only (the wording is the emulator's own). */
export function usdOnly(form: Form): void {
  const currency = requiredString(form, 'currency');
  if (currency.toLowerCase() !== 'usd') {
    throw invalidRequest(`The emulated account only supports usd, not ${currency}.`, { param: 'currency' });
  }
}
