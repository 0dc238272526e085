/** `sync:<sourceId>:<object>`: one running sync per (source, object); a second start returns it. */
export function makeSyncWorkflowId(sourceId: string, object: string): string {
  return `sync:${sourceId}:${object}`;
}

/** `check:<sourceId>:<nonce>`: connection checks are short and may overlap. */
export function makeCheckConnectionWorkflowId(sourceId: string, nonce: string): string {
  return `check:${sourceId}:${nonce}`;
}

/** `purge:<sourceId>`: at most one purge per source; restoreSource cancels it during the grace period. */
export function makePurgeWorkflowId(sourceId: string): string {
  return `purge:${sourceId}`;
}

/**
 * `sync:<sourceId>`: the source-level sync, the action of the source's schedule (scheduled and "sync now"
 * runs carry Temporal's `-<timestamp>` suffix); its children are `sync:<sourceId>:<object>`.
 */
export function makeSourceSyncWorkflowId(sourceId: string): string {
  return `sync:${sourceId}`;
}

/** `schedule:<sourceId>`: each cloud-app source's Temporal Schedule. */
export function makeSourceScheduleId(sourceId: string): string {
  return `schedule:${sourceId}`;
}

/** Deep link to a run's history in the Temporal Web UI. */
export function temporalRunUrl(uiUrl: string, namespace: string, workflowId: string, runId: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}

/**
 * `<app>-event:<sourceId>:<eventId>` (app: the webhook path's, e.g. `stripe`): one workflow per delivered
 * event (duplicates are dropped before; a retried start finds it).
 */
export function makeWebhookEventWorkflowId(app: string, sourceId: string, eventId: string): string {
  return `${app}-event:${sourceId}:${eventId}`;
}

/** `stripe-event:<sourceId>:<eventId>`, as makeWebhookEventWorkflowId names a Stripe event's workflow. */
export function makeStripeEventWorkflowId(sourceId: string, eventId: string): string {
  return makeWebhookEventWorkflowId('stripe', sourceId, eventId);
}
