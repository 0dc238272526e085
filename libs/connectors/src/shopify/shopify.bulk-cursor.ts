// The paging cursor of a bulk read: which job (so a worker that dies resumes that job instead of starting another;
// none yet while every bulk slot of the shop is busy) and how many of its root objects were already handed out. It
// never holds an `updated_at`: positions in one job's file cannot skip rows that share a timestamp (Airbyte #85372
// lost a whole slice that way).
import { createHash } from 'node:crypto';
import { ProviderError } from '../core/provider-error';
import type { UpdatedAtWindow } from './shopify.bulk-queries';

export interface BulkCursor {
  object: string;
  /** The job's GID; null while the read waits for one of the shop's bulk slots to start its job. */
  operation: string | null;
  /** Root objects of the job's result already returned. */
  position: number;
  /** Jobs started over after a failure in a row, counted within the run named by `run`. */
  restarts: number;
  /**
   * The sync run that counted `restarts`, as runTag gives it; absent when the reader was not told its run.
   */
  run?: string;
  /** The `updated_at` window the job reads, kept so a restarted job reads the same one. */
  window: UpdatedAtWindow;
  /** The shop's bulk slot this job holds (ConcurrencySlots) until it finishes; absent once it did. */
  lease?: string;
}

/** Where a read stands beyond its cursor. */
export interface BulkReadAt {
  /** The `updated_at` window of a new read (every record when absent). */
  window?: UpdatedAtWindow;
  /**
   * The sync run reading. Restarts are counted per run: a cursor left by another run (one that failed after
   * `maxRestarts`) resumes its job with none counted yet. Without it, the cursor's count goes on.
   */
  runId?: string;
}

/**
 * A run's id in 8 characters: the cursor is saved with every page and travels in each page's activity
 * result, so it stays short. Two runs of one object sharing a tag (1 in 2^48) would only share a restart budget.
 */
export function runTag(runId: string): string {
  return createHash('sha256').update(runId).digest('base64url').slice(0, 8);
}

/** The cursor as run `runId` continues it: its own restart budget when another run counted the restarts. */
export function forRun(at: BulkCursor, runId: string | undefined): BulkCursor {
  if (runId === undefined || at.run === runTag(runId)) {
    return at;
  }
  return { ...at, restarts: 0, run: runTag(runId) };
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
  const { operation, position, restarts, run, window, lease } = value;
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
  if (run !== undefined && typeof run !== 'string') {
    throw invalid('holds a bad run');
  }
  return {
    object,
    operation,
    position: position!,
    restarts: restarts!,
    ...(run ? { run } : {}),
    window,
    ...(lease ? { lease } : {}),
  };
}
