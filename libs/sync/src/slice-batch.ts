import type { WindowedListing } from '@app/connectors';
import { Context } from '@temporalio/activity';
import { endBatchAfterFailure } from './batch-failure';
import type { CloudSyncDeps, SyncBatchResult } from './cloud-sync.activities';
import { createdWindows } from './created-windows';
import type { Beat } from './heartbeat';
import { READ_AHEAD_PAGES, ReadAhead, type ReadPage } from './read-ahead';
import type { SlicePageBatch } from './slice-store.service';
import { connectorFor } from './source-connector';

export interface PlanSlicesInput {
  sourceId: string;
  object: string;
  syncRunId: string;
  /** Windows wanted; 1 or less = one listing. */
  slices: number;
}

export interface PlanSlicesResult {
  /** Whether the run is read in windows (else: one listing, syncBatch). */
  sliced: boolean;
  /** Ids of the slices not done yet, in window order (ids only: no cursors in history). */
  pending: string[];
}

export interface SyncSliceBatchInput {
  sourceId: string;
  object: string;
  syncRunId: string;
  sliceId: string;
  maxPages: number;
  maxMs: number;
}

/**
 * Decides once per run whether it is read in windows, and records them: a first sync of a connector that
 * filters on `created`, split evenly between the oldest and newest object (see createdWindows). A run that
 * continued as new finds its slices and goes on with those not done.
 */
export async function planSlices(deps: CloudSyncDeps, input: PlanSlicesInput): Promise<PlanSlicesResult> {
  const slices = deps.store.slices;
  const planned = await slices.slicesOf(input.syncRunId);
  if (planned.length > 0) {
    return { sliced: true, pending: planned.filter((s) => !s.done).map((s) => s.id) };
  }
  if (input.slices <= 1 || !(await slices.isFirstSync(input.sourceId, input.object, input.syncRunId))) {
    return { sliced: false, pending: [] };
  }
  const connector = await connectorFor(deps, input.sourceId);
  const signal = Context.current().cancellationSignal;
  const range = await connector.windows?.createdRange(input.object, signal);
  if (!range) {
    return { sliced: false, pending: [] }; // no windowed listing, or nothing to list: one listing it is
  }
  if (connector.changes) {
    // As before any full listing (sync-changes.ts): the next incremental run reads on from this head.
    await deps.store.recordHead(input.syncRunId, await connector.changes.head(signal));
  }
  const made = await slices.plan(input.sourceId, input.syncRunId, createdWindows(range, input.slices));
  return { sliced: true, pending: made.map((s) => s.id) };
}

/** Reads and commits pages of one slice, as syncPages does for a whole listing. */
export async function syncSlicePages(
  deps: CloudSyncDeps,
  input: SyncSliceBatchInput,
  beat: Beat,
): Promise<SyncBatchResult> {
  const store = deps.store.slices;
  const slice = await store.slice(input.sliceId, input.syncRunId);
  if (slice.done) {
    return { done: true, pages: 0, read: 0 };
  }
  const windows = (await connectorFor(deps, input.sourceId)).windows as WindowedListing;
  const signal = Context.current().cancellationSignal;
  const limits = { maxPages: input.maxPages, deadline: Date.now() + input.maxMs, depth: READ_AHEAD_PAGES };
  const read = (cursor: string | null) => windows.readWindowPage(input.object, slice.window, cursor, signal);
  const reader = new ReadAhead(read, slice.cursor, limits);
  const total = { pages: 0, read: 0 };
  try {
    for (;;) {
      const pages = await reader.take();
      const counts = pages.length > 0 ? await store.applyPages(batchOf(input, pages)) : null;
      if (!counts) {
        return { done: false, ...total };
      }
      total.pages += pages.length;
      total.read += counts.read;
      beat({ slice: slice.index, records: total.read, pages: total.pages });
      if (pages[pages.length - 1].page.nextCursor === null) {
        return { done: true, ...total };
      }
    }
  } catch (error) {
    // Rows the slice already wrote carry this run as seen: re-reading them after a restart keeps them.
    return endBatchAfterFailure(total, error, {
      restart: () => deps.store.slices.restart(input.sliceId, input.syncRunId),
      addRetry: () => deps.store.addRetry(input.syncRunId),
    });
  } finally {
    reader.stop();
  }
}

function batchOf(input: SyncSliceBatchInput, pages: ReadPage[]): SlicePageBatch {
  const last = pages[pages.length - 1];
  const done = last.page.nextCursor === null;
  return {
    sliceId: input.sliceId,
    syncRunId: input.syncRunId,
    from: pages[0].from,
    to: { cursor: done ? last.from : last.page.nextCursor, done },
    records: pages.flatMap((p) => p.page.records),
    pages: pages.length,
  };
}
