export { type CloudCredentials, validateCredentials } from './cloud-credentials';
export { SourceCredentialsService } from './source-credentials.service';
export { SourceLifecycleService } from './source-lifecycle.service';
export { SourcePurgeModule } from './purge/source-purge.module';
export { SourcePurgeStore, type PurgeBatch, type PurgeStart } from './purge/source-purge.store';
export { createSourcePurgeActivities, type SourcePurgeActivities } from './purge/source-purge.activities';
export * from './source-settings';
export * from './source.views';
export { SourcesModule } from './sources.module';
export {
  SourcesService,
  type CreateSourceCommand,
  type SourceFilter,
  type UpdateSourceCommand,
} from './sources.service';
export { parseWriteKey } from './write-key.format';
export {
  DEFAULT_OVERLAP_SECONDS,
  MAX_OVERLAP_SECONDS,
  WriteKeysService,
  type VerifiedWriteKey,
} from './write-keys.service';
export { SourceSyncsService, type SyncHandle } from './source-syncs.service';
export { WebhooksIngestModule } from './webhooks/webhooks-ingest.module';
export { WebhookReceiver, type VerifiedDelivery } from './webhooks/webhook-receiver';
export { WebhookDedupePruner } from './webhooks/webhook-dedupe.pruner';
export { WEBHOOK_DEDUPE_DAYS } from './webhooks/webhook-events.store';
export { registerWebhookRoutes, webhookSignaturePolicy } from './webhooks/webhook.route';
export { SourceWebhooksModule } from './webhooks/source-webhooks.module';
export { WebhookSecretsStore } from './webhooks/webhook-secrets.store';
export { createSourceWebhookActivities, type SourceWebhookActivities } from './webhooks/source-webhook.activities';
