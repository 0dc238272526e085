import { Context } from '@temporalio/activity';
import { type Connector, type ConnectorSettings, ProviderError } from '@app/connectors';
import type { CheckConnectionResult } from '@app/temporal';
import type { ActivitySlots } from './activity-slots';
import type { UpstreamBudget } from './budget/upstream-budget';
import type { CredentialVault } from './credential-vault';
import { type Beat, whileHeartbeating } from './heartbeat';
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

// Errors are classified once, by the activity interceptor (activity-error.interceptor.ts).
async function syncOnePage(deps: CloudSyncDeps, input: SyncPageInput, beat: Beat): Promise<SyncPageResult> {
  const { store } = deps;
  const position = await store.position(input.sourceId, input.object, input.syncRunId);
  if (position.done) {
    return { done: true, read: 0 };
  }
  beat({ cursor: position.cursor });
  try {
    const connector = await connectorFor(deps, input.sourceId);
    // A cancelled sync aborts its request in flight instead of waiting for the answer.
    const page = await connector.readPage(input.object, position.cursor, Context.current().cancellationSignal);
    const counts = await store.applyPage(
      input.sourceId,
      input.object,
      input.syncRunId,
      position.cursor,
      page.nextCursor,
      page.records,
    );
    beat({ cursor: page.nextCursor, read: counts?.read ?? 0 });
    return { done: page.nextCursor === null, read: counts?.read ?? 0 };
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'cursor_gone') {
      await store.restartListing(input.sourceId, input.object, input.syncRunId);
      return { done: false, read: 0 };
    }
    throw error;
  }
}

/**
 * Runs `fn` unless the activity is cancelled; an error caused by the cancellation (an aborted request,
 * whatever the client wrapped it in) is reported as the cancellation, so Temporal records it as such.
 */
async function cancellable<T>(fn: () => Promise<T>): Promise<T> {
  const { cancellationSignal } = Context.current();
  cancellationSignal.throwIfAborted();
  try {
    return await fn();
  } catch (error) {
    throw cancellationSignal.aborted ? (cancellationSignal.reason as unknown) : error;
  }
}

async function check(deps: CloudSyncDeps, sourceId: string): Promise<CheckConnectionResult> {
  try {
    await (await connectorFor(deps, sourceId)).checkConnection(Context.current().cancellationSignal);
    return { ok: true, message: 'Connected: the credentials work' };
  } catch (error) {
    if (error instanceof ProviderError && error.kind !== 'transient' && error.kind !== 'rate_limited') {
      return { ok: false, message: error.message, ...(error.providerCode ? { providerCode: error.providerCode } : {}) };
    }
    throw error;
  }
}

async function connectorFor(deps: CloudSyncDeps, sourceId: string): Promise<Connector> {
  const credentials = await deps.vault.open(sourceId);
  if (!credentials) {
    throw new ProviderError('auth', 'This source has no credentials: set them with setSourceCredentials', 'tributary');
  }
  return deps.budget.connector(sourceId, credentials, deps.settings, undefined, Context.current().cancellationSignal);
}
