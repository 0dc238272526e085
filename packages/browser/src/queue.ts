/** Bounds of the offline queue: localStorage holds ~5 MB per origin, shared with the page. */
export const MAX_QUEUE_ITEMS = 500;
export const MAX_QUEUE_BYTES = 256 * 1024;

/**
 * Keeps the newest items within both bounds (count, and UTF-16 length of their JSON as a stand-in for
 * bytes): when a page stays offline long, the oldest events give way, so storage never fills up.
 * Returns the kept items and how many were dropped.
 */
export function boundQueue<T>(
  items: readonly T[],
  maxItems: number = MAX_QUEUE_ITEMS,
  maxBytes: number = MAX_QUEUE_BYTES,
): { kept: T[]; dropped: number } {
  const kept: T[] = [];
  let bytes = 0;
  for (let i = items.length - 1; i >= 0 && kept.length < maxItems; i--) {
    const size = JSON.stringify(items[i]).length;
    if (bytes + size > maxBytes) {
      break;
    }
    bytes += size;
    kept.unshift(items[i]);
  }
  return { kept, dropped: items.length - kept.length };
}

/**
 * The longest prefix of `items` whose batch stays within `maxBytes` (sendBeacon refuses bodies over
 * 64 KB); at least one item, so a single large event still leaves the queue by fetch.
 */
export function takeBatch<T>(items: readonly T[], maxItems: number, maxBytes: number): T[] {
  const batch: T[] = [];
  let bytes = 64; // the envelope: {"batch":[…],"writeKey":…,"sentAt":…}
  for (const item of items) {
    const size = JSON.stringify(item).length + 1;
    if (batch.length >= maxItems || (batch.length > 0 && bytes + size > maxBytes)) {
      break;
    }
    bytes += size;
    batch.push(item);
  }
  return batch;
}
