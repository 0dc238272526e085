import { Context } from '@temporalio/activity';
import { type ConnectorSettings, ProviderError } from '@app/connectors';
import type { CheckConnectionResult } from '@app/temporal';
import type { ActivitySlots } from './activity-slots';
import type { UpstreamBudget } from './budget/upstream-budget';
import type { CredentialVault } from './credential-vault';
import { whileHeartbeating } from './heartbeat';
import { cancellable, connectorFor } from './source-connector';
import { applyChange, type ApplyChangeInput, type ApplyChangeResult } from './apply-change';
import { type MeasureDriftInput, type MeasureDriftResult, measureDrift } from './drift';
import { type PlanSlicesInput, type SyncSliceBatchInput, planSlices, syncSlicePages } from './slice-batch';
import { syncRunBatch } from './sync-changes';
import { syncOnePage } from './sync-page.v1';
import type { SyncStore } from './sync-store.service';

export interface SyncPageInput {
  sourceId: string;
  object: string;
  syncRunId: string;
}

export interface SyncPageResult {
  done: boolean;
  read: number;
}

export interface SyncBatchInput extends SyncPageInput {
  /** Pages to read at most in this activity. */
  maxPages: number;
  /** Milliseconds to keep requesting pages, counted once the activity holds its process slot. */
  maxMs: number;
}

export interface SyncBatchResult {
  /** The listing's last page is committed: the run can be finished. */
  done: boolean;
  pages: number;
  read: number;
}

export interface CloudSyncDeps {
  store: SyncStore;
  vault: CredentialVault;
  slots: ActivitySlots;
  settings: ConnectorSettings;
  /** The request budget of each provider account, taken before every request a connector sends. */
  budget: UpstreamBudget;
}

/** Activities that call a cloud app; they run on the source's own task queue. Results are counts only. */
export function createCloudSyncActivities(deps: CloudSyncDeps) {
  return {
    /** Engine v2: many pages per activity, read ahead of their writes, committed as they come. */
    async syncBatch(input: SyncBatchInput): Promise<SyncBatchResult> {
      if (Context.current().info.attempt > 1) {
        await deps.store.addRetry(input.syncRunId);
      }
      return whileHeartbeating((beat) => deps.slots.run(() => cancellable(() => syncRunBatch(deps, input, beat))));
    },

    /** One delivered change (a webhook's event id) applied by the newest-wins writer; counts only. */
    async applyChange(input: ApplyChangeInput): Promise<ApplyChangeResult> {
      return deps.slots.run(() => cancellable(() => applyChange(deps, input)));
    },

    /** Sliced first syncs: decides whether the run is read in `created` windows, and records them. */
    async planSlices(input: PlanSlicesInput) {
      return whileHeartbeating(() => deps.slots.run(() => cancellable(() => planSlices(deps, input))));
    },

    /** Sliced first syncs: pages of one window, as syncBatch for a whole listing. */
    async syncSliceBatch(input: SyncSliceBatchInput): Promise<SyncBatchResult> {
      if (Context.current().info.attempt > 1) {
        await deps.store.addRetry(input.syncRunId);
      }
      return whileHeartbeating((beat) => deps.slots.run(() => cancellable(() => syncSlicePages(deps, input, beat))));
    },

    /** After a full refresh's last page, before it finishes: rows the change log did not explain (drift.ts). */
    async measureDrift(input: MeasureDriftInput): Promise<MeasureDriftResult> {
      return whileHeartbeating((beat) => deps.slots.run(() => cancellable(() => measureDrift(deps, input, beat))));
    },

    /** Engine v1 (syncCloudApp): one page per activity. Registered until no run of syncCloudApp remains. */
    async syncPage(input: SyncPageInput): Promise<SyncPageResult> {
      const { attempt } = Context.current().info;
      if (attempt > 1) {
        await deps.store.addRetry(input.syncRunId);
      }
      // Heartbeats while waiting for a slot and during the provider call (slow answers, cancellation).
      return whileHeartbeating((beat) => deps.slots.run(() => cancellable(() => syncOnePage(deps, input, beat))));
    },

    async checkConnection({ sourceId }: { sourceId: string }): Promise<CheckConnectionResult> {
      return deps.slots.run(() => check(deps, sourceId));
    },
  };
}

export type CloudSyncActivities = ReturnType<typeof createCloudSyncActivities>;

async function check(deps: CloudSyncDeps, sourceId: string): Promise<CheckConnectionResult> {
  try {
    const note = await (await connectorFor(deps, sourceId)).checkConnection(Context.current().cancellationSignal);
    return { ok: true, message: note ? `Connected: the credentials work. ${note}` : 'Connected: the credentials work' };
  } catch (error) {
    if (error instanceof ProviderError && error.kind !== 'transient' && error.kind !== 'rate_limited') {
      return { ok: false, message: error.message, ...(error.providerCode ? { providerCode: error.providerCode } : {}) };
    }
    throw error;
  }
}
