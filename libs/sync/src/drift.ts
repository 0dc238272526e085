import type { ChangeLog, ChangeVersion } from '@app/connectors';
import { Context } from '@temporalio/activity';
import type { CloudSyncDeps } from './cloud-sync.activities';
import type { Beat } from './heartbeat';
import { connectorFor } from './source-connector';

export interface MeasureDriftInput {
  sourceId: string;
  syncRunId: string;
}

/** Counts only: null when the run did not measure drift (its reason says why, when that is not obvious). */
export interface MeasureDriftResult {
  drift: number | null;
}

/**
 * Drift of a full refresh that took over from incremental runs: the rows its listing inserted, changed or
 * is about to mark deleted that no change in the provider's log explains. Run after the last page and
 * before finishRun (which marks the unseen rows deleted), on the source's queue since it reads the log.
 *
 * Which changes explain a row: those after the saved position P (less the log's own lookback, as the
 * incremental runs read it) up to the log's end now, not only up to the head H recorded before listing.
 * Changes in (P, H] are the incremental runs' catch-up: made before the listing, not read by any run yet.
 * The listing read each page at some moment after H, so a page may hold a change made after H: that
 * change differs from the stored row yet is no miss (the next incremental run, reading on from H, would
 * have brought it). Reading on to the end covers every change a page can hold, since all pages were read
 * before this measure starts. A row with no change at all since P differs from the store only because the
 * log never reported its change (or the incremental runs dropped one): that is drift. A row that has both
 * a silent change and a later logged one is counted as explained: drift is a lower bound. (A change the
 * provider lists late, after this measure, would be counted: its event comes too late for this run.)
 *
 * Idempotent: a retry measures again from the same committed rows (the log pass restarts from P; it
 * holds nothing but ids in memory). Nothing but the count crosses into Temporal.
 */
export async function measureDrift(
  deps: CloudSyncDeps,
  input: MeasureDriftInput,
  beat: Beat,
): Promise<MeasureDriftResult> {
  const basis = await deps.store.drift.basis(input.syncRunId);
  if (!basis || !basis.position) {
    return { drift: null }; // not a full refresh, or a first sync: the run's reason says which
  }
  const log = (await connectorFor(deps, input.sourceId)).changes;
  if (!log || (log.covers && !log.covers(basis.object))) {
    return { drift: null }; // no change log for this object: every run is a full refresh, nothing to compare
  }
  if (await log.gap(basis.position, signal())) {
    // A horizon fallback: the changes the incremental runs would have read are gone, so none can be told apart.
    await deps.store.drift.record(
      input.syncRunId,
      null,
      'drift not measured (the events since the saved position are gone)',
    );
    return { drift: null };
  }
  const candidates = new Set(await deps.store.drift.listingChanges(basis, input.syncRunId));
  if (candidates.size > 0) {
    await forEachChangedId(log, basis.object, basis.position, beat, (id) => candidates.delete(id));
  }
  await deps.store.drift.record(input.syncRunId, candidates.size);
  return { drift: candidates.size };
}

/** The ids of every change to `object` after `position` (with the log's lookback), oldest first, to the end. */
async function forEachChangedId(
  log: ChangeLog,
  object: string,
  position: ChangeVersion,
  beat: Beat,
  visit: (id: string) => void,
): Promise<void> {
  let pages = 0;
  for (let cursor: string | null = null; ;) {
    const page = await log.readChanges(object, position, cursor, signal());
    page.changes.forEach((change) => visit(change.externalId));
    beat({ driftPages: ++pages });
    if (page.nextCursor === null) {
      return;
    }
    cursor = page.nextCursor;
  }
}

function signal(): AbortSignal {
  return Context.current().cancellationSignal;
}
