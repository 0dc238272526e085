import { ProviderError } from '@app/connectors';
import { Context } from '@temporalio/activity';
import type { SyncBatchResult } from './cloud-sync.activities';

/** What a listing's batch (one listing, or one `created` window) does with its run after a failure. */
export interface BatchFailureHooks {
  /** The provider dropped the cursor: read this listing again from its start. */
  restart(): Promise<void>;
  /** Count a retry on the run. */
  addRetry(): Promise<void>;
}

/**
 * Where a batch stands after a failure: the listing restarts, the batch ends with its progress, or it fails.
 * Temporal counts attempts per activity, whatever each one committed: a long batch on a flaky provider would
 * run out of them while making progress. So a batch that committed pages ends here, and the next one asks
 * the failed page again with attempts of its own (after the account's hold, for a 429); only failures
 * without progress back off and count towards failing the run.
 */
export async function endBatchAfterFailure(
  total: { pages: number; read: number },
  error: unknown,
  hooks: BatchFailureHooks,
): Promise<SyncBatchResult> {
  if (error instanceof ProviderError && error.kind === 'cursor_gone') {
    await hooks.restart();
    return { done: false, ...total };
  }
  if (total.pages > 0 && isPassing(error)) {
    await hooks.addRetry();
    Context.current().log.warn('page failed after progress; the next batch asks it again', {
      kind: error.kind,
      status: error.status,
    });
    return { done: false, ...total };
  }
  throw error;
}

/** A provider failure that retrying may clear (5xx, timeouts, throttling). */
function isPassing(error: unknown): error is ProviderError {
  return error instanceof ProviderError && (error.kind === 'transient' || error.kind === 'rate_limited');
}
