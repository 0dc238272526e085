export * from './contracts';
export * from './source-sync-contracts';
export { ensureSearchAttributes, type EnsureResult } from './ensure-search-attributes';
export { SEARCH_ATTRIBUTE_KEYS, SourceIdKey, SourceKindKey, SyncObjectKey, WorkspaceIdKey } from './search-attributes';
export { WORKFLOW_TASK_QUEUE, sourceTaskQueue } from './task-queues';
export { TemporalClientModule } from './temporal-client.module';
export { TemporalClientService } from './temporal-client.service';
export {
  makeCheckConnectionWorkflowId,
  makePurgeWorkflowId,
  makeSourceScheduleId,
  makeSourceSyncWorkflowId,
  makeSyncWorkflowId,
  temporalRunUrl,
} from './workflow-ids';
// Issue 9: webhooks (the event workflow's id; registering the endpoint).
export { makeStripeEventWorkflowId, makeWebhookEventWorkflowId } from './workflow-ids';
export * from './webhook-contracts';
// Issue 11: replaying a source's quarantine.
export * from './quarantine-contracts';
