import { type ChangeLog, type ChangeVersion, type Connector } from '@app/connectors';
import { SyncMode } from '@app/database';
import { Context } from '@temporalio/activity';
import type { CloudSyncDeps, SyncBatchInput, SyncBatchResult } from './cloud-sync.activities';
import type { Beat } from './heartbeat';
import { connectorFor } from './source-connector';
import { syncPages } from './sync-batch';

const NOTHING_YET: SyncBatchResult = { done: false, pages: 0, read: 0 };

/**
 * One batch of a run, in the mode the run chose when it started (run-plan.ts): a full refresh lists the
 * object after recording the change log's head; an incremental run reads the change log from its saved
 * position, or falls back to a full refresh (the workflow then asks for the next batch) and says why.
 */
export async function syncRunBatch(deps: CloudSyncDeps, input: SyncBatchInput, beat: Beat): Promise<SyncBatchResult> {
  const state = await deps.store.runState(input.syncRunId);
  if (!state || state.done) {
    // Another attempt finished the listing, or the state moved on: the listing path knows what to answer.
    return syncPages(deps, input, beat);
  }
  if (state.mode !== SyncMode.INCREMENTAL) {
    if (state.cursor === null && !state.headTaken) {
      await recordHead(deps, input, await connectorFor(deps, input.sourceId));
    }
    return syncPages(deps, input, beat);
  }
  const connector = await connectorFor(deps, input.sourceId);
  const log = connector.changes;
  if (!log || !state.position) {
    await deps.store.fallBackToFullRefresh(input.syncRunId, 'Full refresh: no change position to read on from');
    return NOTHING_YET;
  }
  if (log.covers && !log.covers(input.object)) {
    const reason = `Full refresh: the provider's change log does not cover ${input.object}, so every run lists it in full`;
    await deps.store.fallBackToFullRefresh(input.syncRunId, reason);
    return NOTHING_YET;
  }
  if (state.cursor === null) {
    const gap = await log.gap(state.position, signal());
    if (gap) {
      await deps.store.fallBackToFullRefresh(input.syncRunId, `Full refresh: ${gap}`);
      return NOTHING_YET;
    }
    if (!state.headTaken) {
      await deps.store.recordHead(input.syncRunId, await log.head(signal()));
    }
  }
  return readChanges(deps, input, log, state.position, state.cursor, beat);
}

/** Reads pages of changes oldest first, each committed with its cursor and position, until done or out of time. */
async function readChanges(
  { store }: CloudSyncDeps,
  input: SyncBatchInput,
  log: ChangeLog,
  position: ChangeVersion,
  from: string | null,
  beat: Beat,
): Promise<SyncBatchResult> {
  const deadline = Date.now() + input.maxMs;
  const total = { pages: 0, read: 0 };
  for (let cursor = from; total.pages < input.maxPages && Date.now() < deadline;) {
    const page = await log.readChanges(input.object, position, cursor, signal());
    const done = page.nextCursor === null;
    const counts = await store.applyChanges({
      sourceId: input.sourceId,
      object: input.object,
      syncRunId: input.syncRunId,
      from: cursor,
      to: { cursor: done ? cursor : page.nextCursor, done },
      changes: page.changes,
      position: page.position,
      pages: 1,
    });
    if (!counts) {
      return { done: false, ...total }; // another attempt moved the cursor: the workflow asks again
    }
    total.pages += 1;
    total.read += counts.read;
    beat({ records: total.read, pages: total.pages });
    if (done) {
      return { done: true, ...total };
    }
    cursor = page.nextCursor;
  }
  return { done: false, ...total };
}

/** Before a full listing: the change log's newest change, which the next incremental run reads on from. */
async function recordHead(deps: CloudSyncDeps, input: SyncBatchInput, connector: Connector): Promise<void> {
  if (connector.changes) {
    await deps.store.recordHead(input.syncRunId, await connector.changes.head(signal()));
  }
}

function signal(): AbortSignal {
  return Context.current().cancellationSignal;
}
