// Deterministic values: a seeded PRNG per record (mulberry32 over an FNV-1a hash of seed and labels), so one seed
// gives identical shops on every machine and 50,000 records generate in well under a second. Kept apart from the
// other emulators' copies so the emulators do not depend on each other.

/** FNV-1a, 32 bits. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface Random {
  /** A uniform number in [0, 1). */
  next(): number;
  /** An integer in [0, max). */
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** A PRNG seeded with (seed, labels): the same labels always draw the same sequence. */
export function random(seed: number, ...labels: (string | number)[]): Random {
  let state = hash32([seed, ...labels].join(':'));
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (max: number): number => Math.floor(next() * max);
  return { next, int, pick: (items) => items[int(items.length)] };
}
