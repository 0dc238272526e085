import { Context } from '@temporalio/activity';
import { endBatchAfterFailure } from './batch-failure';
import type { CloudSyncDeps, SyncBatchInput, SyncBatchResult } from './cloud-sync.activities';
import type { Beat } from './heartbeat';
import { READ_AHEAD_PAGES, ReadAhead, type ReadPage } from './read-ahead';
import { connectorFor } from './source-connector';
import type { PageBatch } from './sync-store.service';

// Errors are classified once, by the activity interceptor (activity-error.interceptor.ts).
export async function syncPages(deps: CloudSyncDeps, input: SyncBatchInput, beat: Beat): Promise<SyncBatchResult> {
  const { store } = deps;
  const position = await store.position(input.sourceId, input.object, input.syncRunId);
  if (position.done) {
    return { done: true, pages: 0, read: 0 }; // an earlier attempt committed the last page
  }
  const connector = await connectorFor(deps, input.sourceId);
  // A cancelled sync aborts its request in flight instead of waiting for the answer.
  const signal = Context.current().cancellationSignal;
  const limits = { maxPages: input.maxPages, deadline: Date.now() + input.maxMs, depth: READ_AHEAD_PAGES };
  const read = (cursor: string | null) => connector.readPage(input.object, cursor, signal, input.syncRunId);
  const reader = new ReadAhead(read, position.cursor, limits);
  const total = { pages: 0, read: 0 };
  try {
    for (;;) {
      const pages = await reader.take();
      const counts = pages.length > 0 ? await store.applyPages(batchOf(input, pages)) : null;
      if (!counts) {
        // The reading is over for this activity, or another attempt moved the cursor: the workflow asks again.
        return { done: false, ...total };
      }
      total.pages += pages.length;
      total.read += counts.read;
      // Progress only: the resume point is the cursor committed to sync_state with the rows.
      beat({ records: total.read, pages: total.pages });
      if (pages[pages.length - 1].page.nextCursor === null) {
        return { done: true, ...total };
      }
    }
  } catch (error) {
    return endBatchAfterFailure(total, error, {
      restart: () => deps.store.restartListing(input.sourceId, input.object, input.syncRunId),
      addRetry: () => deps.store.addRetry(input.syncRunId),
    });
  } finally {
    reader.stop();
  }
}

function batchOf(input: SyncBatchInput, pages: ReadPage[]): PageBatch {
  const last = pages[pages.length - 1];
  const done = last.page.nextCursor === null;
  return {
    sourceId: input.sourceId,
    object: input.object,
    syncRunId: input.syncRunId,
    from: pages[0].from,
    to: { cursor: done ? last.from : last.page.nextCursor, done },
    records: pages.flatMap((p) => p.page.records),
    pages: pages.length,
  };
}
