// The paging cursor of a bulk read: which job (so a worker that dies resumes that job instead of starting another;
// none yet while every bulk slot of the shop is busy) and how many of its root objects were already handed out. It
// never holds an `updated_at`: positions in one job's file cannot skip rows that share a timestamp (Airbyte #85372
// lost a whole slice that way).
import { ProviderError } from '../core/provider-error';
import type { UpdatedAtWindow } from './shopify.bulk-queries';

export interface BulkCursor {
  object: string;
  /** The job's GID; null while the read waits for one of the shop's bulk slots to start its job. */
  operation: string | null;
  /** Root objects of the job's result already returned. */
  position: number;
  /** Jobs started over after a failure in this read so far. */
  restarts: number;
  /** The `updated_at` window the job reads, kept so a restarted job reads the same one. */
  window: UpdatedAtWindow;
  /** The shop's bulk slot this job holds (ConcurrencySlots) until it finishes; absent once it did. */
  lease?: string;
}

const PREFIX = 'sb1.';

export function encodeBulkCursor(cursor: BulkCursor): string {
  return PREFIX + Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function invalid(reason: string): ProviderError {
  return new ProviderError('invalid', `Shopify bulk cursor ${reason}`, 'shopify');
}

function isWindow(value: unknown): value is UpdatedAtWindow {
  if (!value || typeof value !== 'object') {
    return false;
  }
  return Object.entries(value).every(([key, bound]) => ['gte', 'lte'].includes(key) && typeof bound === 'string');
}

/** The cursor `encodeBulkCursor` made for `object`; anything else is our bug, refused as `invalid`. */
export function decodeBulkCursor(text: string, object: string): BulkCursor {
  if (!text.startsWith(PREFIX)) {
    throw invalid('is not one this reader wrote');
  }
  let value: Partial<BulkCursor>;
  try {
    value = JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8')) as Partial<BulkCursor>;
  } catch {
    throw invalid('is not valid JSON');
  }
  const { operation, position, restarts, window, lease } = value;
  if (value.object !== object) {
    throw invalid(`belongs to "${String(value.object)}", not "${object}"`);
  }
  if (operation !== null && (typeof operation !== 'string' || !operation.startsWith('gid://shopify/BulkOperation/'))) {
    throw invalid('names no bulk operation');
  }
  if (!Number.isSafeInteger(position) || position! < 0 || !Number.isSafeInteger(restarts) || restarts! < 0) {
    throw invalid('holds a bad position or restart count');
  }
  if (!isWindow(window)) {
    throw invalid('holds a bad updated_at window');
  }
  if (lease !== undefined && typeof lease !== 'string') {
    throw invalid('holds a bad lease');
  }
  return {
    object,
    operation,
    position: position!,
    restarts: restarts!,
    window,
    ...(lease ? { lease } : {}),
  };
}
