import { SyncMode } from '@app/database';
import type { EntityManager } from 'typeorm';

/** How a run of one (source, object) proceeds, and why, when it is not the usual incremental run. */
export interface RunPlan {
  mode: SyncMode;
  reason: string | null;
}

/** What the run found in sync_state when it took it over (see takeOverState). */
export type TakeOver = { kind: 'own' } | { kind: 'fresh' } | { kind: 'continued'; previousRunId: string };

/**
 * The run decides its mode, not its caller: it continues an unfinished run in that run's mode; it is a
 * full refresh when nothing was synced yet, when no change position was saved, or when the last full
 * refresh is older than SYNC_FULL_REFRESH_MINUTES (full refreshes find what the change log
 * missed, and mark deletes); otherwise incremental. Whether the provider still holds the changes since
 * the position is judged by its clock when the run first reads (an incremental run may fall back then).
 */
export async function planRun(
  em: EntityManager,
  sourceId: string,
  object: string,
  takeOver: TakeOver,
  fullRefreshIntervalMs: number,
): Promise<RunPlan> {
  if (takeOver.kind === 'continued') {
    const [previous] = await em.query<{ mode: SyncMode }[]>('SELECT mode FROM sync_runs WHERE id = $1', [
      takeOver.previousRunId,
    ]);
    return { mode: previous.mode, reason: `Continues run ${takeOver.previousRunId}, which ended before completing` };
  }
  const [state] = await em.query<{ position_at: string | null; last_full: Date | null; synced: boolean }[]>(
    `SELECT s.position_at,
            (SELECT max(finished_at) FROM sync_runs WHERE source_id = $1 AND object = $2 AND status = 'SUCCEEDED'
                AND mode = 'FULL_REFRESH') AS last_full,
            EXISTS (SELECT 1 FROM sync_runs WHERE source_id = $1 AND object = $2 AND status = 'SUCCEEDED'
                      AND mode <> 'WEBHOOK') AS synced
       FROM sync_state s WHERE s.source_id = $1 AND s.object = $2`,
    [sourceId, object],
  );
  if (!state?.synced) {
    return { mode: SyncMode.FULL_REFRESH, reason: `First sync of ${object}` };
  }
  if (state.position_at === null || state.last_full === null) {
    return {
      mode: SyncMode.FULL_REFRESH,
      reason: 'No saved change position: the provider has no change log, or no full refresh saved one yet',
    };
  }
  const sinceMs = Date.now() - state.last_full.getTime();
  if (sinceMs >= fullRefreshIntervalMs) {
    const minutes = Math.round(fullRefreshIntervalMs / 60_000);
    return {
      mode: SyncMode.FULL_REFRESH,
      reason: `Periodic full refresh: the last one finished ${Math.floor(sinceMs / 60_000)} min ago, and they run every ${minutes} min (SYNC_FULL_REFRESH_MINUTES)`,
    };
  }
  return { mode: SyncMode.INCREMENTAL, reason: null };
}
