// Deterministic ids and choices: every value derives from (seed, label, index) through SHA-256, so the
// same seed gives byte-identical customers on every machine and in every run (tests compare exact ids).
import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 32 bytes derived from the seed and the parts; different labels give independent streams. */
export function digest(seed: number, ...parts: (string | number)[]): Buffer {
  return createHash('sha256')
    .update([seed, ...parts].join(':'))
    .digest();
}

/** `length` base62 characters (at most 32) from the bytes; the modulo bias does not matter for ids. */
export function base62(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out += BASE62[bytes[i % bytes.length] % BASE62.length];
  }
  return out;
}

/** An id shaped like Stripe's (`cus_` + 14 base62 characters), stable for (seed, parts). */
export function stableId(prefix: string, length: number, seed: number, ...parts: (string | number)[]): string {
  return `${prefix}${base62(digest(seed, prefix, ...parts), length)}`;
}

/** A stable integer in [0, max) for (seed, parts). */
export function stableInt(max: number, seed: number, ...parts: (string | number)[]): number {
  return digest(seed, ...parts).readUInt32BE(0) % max;
}

/** A stable element of `items` for (seed, parts). */
export function stablePick<T>(items: readonly T[], seed: number, ...parts: (string | number)[]): T {
  return items[stableInt(items.length, seed, ...parts)];
}

/** Stripe's `Request-Id` shape (`req_` + 14 characters); random, as Stripe's are, because nothing keys on them. */
export function requestId(): string {
  return `req_${base62(randomBytes(14), 14)}`;
}
