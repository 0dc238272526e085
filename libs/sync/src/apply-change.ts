import { ProviderError, type RecordChange } from '@app/connectors';
import { Context } from '@temporalio/activity';
import type { CloudSyncDeps } from './cloud-sync.activities';
import { connectorFor } from './source-connector';

export interface ApplyChangeInput {
  sourceId: string;
  /** The provider's id of the change (a Stripe event id): its content is read from the provider. */
  changeId: string;
  /** The workflow applying it, recorded on its runs. */
  workflowId: string;
  temporalRunId: string;
}

export interface ApplyChangeResult {
  /** Objects the change touched (one WEBHOOK run each). */
  objects: number;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/**
 * Reads one change by id through the connector and applies it to every object it touches with the
 * newest-wins writer, recording a WEBHOOK run per object. A retry after the commit applies nothing twice.
 */
export async function applyChange(deps: CloudSyncDeps, input: ApplyChangeInput): Promise<ApplyChangeResult> {
  const connector = await connectorFor(deps, input.sourceId);
  if (!connector.changes) {
    throw new ProviderError('invalid', `${connector.kind} has no change log to apply changes from`, 'tributary');
  }
  const touched = await connector.changes.readChange(input.changeId, Context.current().cancellationSignal);
  const byObject = new Map<string, RecordChange[]>();
  for (const { object, change } of touched) {
    byObject.set(object, [...(byObject.get(object) ?? []), change]);
  }
  const result: ApplyChangeResult = {
    objects: byObject.size,
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
  };
  for (const [object, changes] of byObject) {
    const counts = await deps.store.applyWebhookChanges({ ...input, object, eventId: input.changeId, changes });
    for (const key of ['read', 'inserted', 'updated', 'unchanged', 'deleted'] as const) {
      result[key] += counts?.[key] ?? 0;
    }
  }
  return result;
}
