import { hash } from 'node:crypto';
import type { WriteKeyResolution, WriteKeyResolver } from './tracking.routes';

/** How long ingest trusts a resolved write key: a revoked key, a paused source or new limits apply after this. */
export const WRITE_KEY_CACHE_MS = 1_000;
const MAX_ENTRIES = 10_000;

/**
 * Resolves each write key at most once per `ttlMs` per process (concurrent requests share the lookup), so
 * the hot path makes no key or source query per request. Entries are keyed by the key's SHA-256 (no
 * secret kept in memory); failed lookups are not kept; at most MAX_ENTRIES, the oldest dropped first.
 */
export function cachedWriteKeys(
  resolve: WriteKeyResolver,
  ttlMs = WRITE_KEY_CACHE_MS,
  now: () => number = Date.now,
): WriteKeyResolver {
  const entries = new Map<string, { at: number; value: Promise<WriteKeyResolution> }>();
  return (writeKey) => {
    // The one-shot hash: a Hash object per request costs several times more on this hot path.
    const id = hash('sha256', writeKey, 'base64');
    const hit = entries.get(id);
    if (hit && now() - hit.at < ttlMs) {
      return hit.value;
    }
    entries.delete(id);
    if (entries.size >= MAX_ENTRIES) {
      entries.delete(entries.keys().next().value as string);
    }
    const value = resolve(writeKey);
    entries.set(id, { at: now(), value });
    value.catch(() => entries.delete(id));
    return value;
  };
}
