// What Postgres' jsonb cannot take, checked per event so one bad event never fails a whole group commit.

export const UNSTORABLE_TEXT =
  'strings and keys may not contain the NUL character (\\u0000) or unpaired UTF-16 surrogates';

/**
 * JSON.stringify escapes NUL and lone surrogates as \u0000 / \udXXX (paired ones stay raw): Postgres
 * refuses both in jsonb, so one such event would fail its whole group. An even run of backslashes before
 * the escape means the text was a literal backslash, which is fine.
 */
export function hasUnstorableText(json: string): boolean {
  // Most events hold no \u escape at all: a plain substring search settles them.
  return json.includes('\\u') && /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i.test(json);
}

/** Whether JSON nests objects/arrays more than `limit` levels (iterative: the input may be very deep). */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    if (depth > limit) {
      return true;
    }
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      stack.push([child, depth + 1]);
    }
  }
  return false;
}
