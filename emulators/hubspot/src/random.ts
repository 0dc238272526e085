// Deterministic values: everything the generator makes derives from (seed, parts) through SHA-256, so one seed
// gives byte-identical records on every machine (tests compare exact ids). A copy of the Stripe emulator's idea,
// kept separate so the two emulators do not depend on each other.
import { createHash, randomUUID } from 'node:crypto';

export function digest(seed: number, ...parts: (string | number)[]): Buffer {
  return createHash('sha256')
    .update([seed, ...parts].join(':'))
    .digest();
}

/** A stable integer in [0, max) for (seed, parts). */
export function stableInt(max: number, seed: number, ...parts: (string | number)[]): number {
  return digest(seed, ...parts).readUInt32BE(0) % max;
}

export function stablePick<T>(items: readonly T[], seed: number, ...parts: (string | number)[]): T {
  return items[stableInt(items.length, seed, ...parts)];
}

/** A uniform number in [0, 1) for (seed, parts). */
export function stableFraction(seed: number, ...parts: (string | number)[]): number {
  return digest(seed, ...parts).readUInt32BE(0) / 2 ** 32;
}

/** HubSpot's `correlationId` is a random UUID per response; nothing keys on it. */
export function correlationId(): string {
  return randomUUID();
}

/** FNV-1a, 32 bits: cheap enough to derive hundreds of property values per record on every read. */
export function quickHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
