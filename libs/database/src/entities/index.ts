import { ApiTokenEntity } from './api-token.entity';
import { SourceCredentialEntity } from './source-credential.entity';
import { SourceWriteKeyEntity } from './source-write-key.entity';
import { SourceEntity } from './source.entity';
import { HubspotWebhookEventEntity } from './hubspot-webhook-event.entity';
import { ShopifyWebhookEventEntity } from './shopify-webhook-event.entity';
import { RecordEntity } from './record.entity';
import { RequestBudgetEntity } from './request-budget.entity';
import { SourceProviderAccountEntity } from './source-provider-account.entity';
import { SourceTaskQueueEntity } from './source-task-queue.entity';
import { StripeWebhookEventEntity } from './stripe-webhook-event.entity';
import { SyncMode, SyncRunEntity, SyncRunStatus } from './sync-run.entity';
import { SyncStateEntity } from './sync-state.entity';
import { WorkspaceEntity } from './workspace.entity';

export {
  ApiTokenEntity,
  HubspotWebhookEventEntity,
  ShopifyWebhookEventEntity,
  RecordEntity,
  RequestBudgetEntity,
  SourceCredentialEntity,
  SourceEntity,
  SourceProviderAccountEntity,
  SourceTaskQueueEntity,
  SourceWriteKeyEntity,
  StripeWebhookEventEntity,
  SyncMode,
  SyncRunEntity,
  SyncRunStatus,
  SyncStateEntity,
  WorkspaceEntity,
};

export const ENTITIES = [
  WorkspaceEntity,
  ApiTokenEntity,
  SourceEntity,
  SourceWriteKeyEntity,
  SourceCredentialEntity,
  SyncRunEntity,
  SyncStateEntity,
  RecordEntity,
  SourceTaskQueueEntity,
  RequestBudgetEntity,
  SourceProviderAccountEntity,
  StripeWebhookEventEntity,
  HubspotWebhookEventEntity,
  ShopifyWebhookEventEntity,
];
