import { InitialSchema1795667230556 } from './1795667230556-initial-schema';
import { SyncRunsRecordsState1795669364071 } from './1795669364071-sync-runs-records-state';
import { SourcePurgedAt1796119552067 } from './1796119552067-source-purged-at';
import { RequestBudgets1796123133092 } from './1796123133092-request-budgets';
import { SyncRunProgress1796123753400 } from './1796123753400-sync-run-progress';
import { RecordChanges1796130000000 } from './1796130000000-record-changes';
import { SyncRunPreviousRead1796140000000 } from './1796140000000-sync-run-previous-read';
import { StripeWebhookEvents1796150000000 } from './1796150000000-stripe-webhook-events';
import { IncrementalSync1796160000000 } from './1796160000000-incremental-sync';
import { SourceSyncSchedule1796170000000 } from './1796170000000-source-sync-schedule';
import { SyncSlices1796180000000 } from './1796180000000-sync-slices';
import { TrackingEvents1796190000000 } from './1796190000000-tracking-events';
import { SyncRunDrift1796200000000 } from './1796200000000-sync-run-drift';
import { SourceRateBuckets1796220000000 } from './1796220000000-source-rate-buckets';
import { HubspotWebhookEvents1796240000000 } from './1796240000000-hubspot-webhook-events';
import { ConcurrencyLeases1796260000000 } from './1796260000000-concurrency-leases';
import { ShopifyWebhookEvents1796250000000 } from './1796250000000-shopify-webhook-events';
import { SyncCursorText1796290000000 } from './1796290000000-sync-cursor-text';
import { TrackingPlans1796300000000 } from './1796300000000-tracking-plans';
import { IngestionLog1796310000000 } from './1796310000000-ingestion-log';

// Listed explicitly (no glob) so the same list works from sources, the build and the CLI. Append only.
export const MIGRATIONS = [
  InitialSchema1795667230556,
  SyncRunsRecordsState1795669364071,
  SourcePurgedAt1796119552067,
  RequestBudgets1796123133092,
  SyncRunProgress1796123753400,
  RecordChanges1796130000000,
  SyncRunPreviousRead1796140000000,
  StripeWebhookEvents1796150000000,
  IncrementalSync1796160000000,
  SourceSyncSchedule1796170000000,
  SyncSlices1796180000000,
  TrackingEvents1796190000000,
  SyncRunDrift1796200000000,
  SourceRateBuckets1796220000000,
  HubspotWebhookEvents1796240000000,
  ConcurrencyLeases1796260000000,
  ShopifyWebhookEvents1796250000000,
  SyncCursorText1796290000000,
  TrackingPlans1796300000000,
  IngestionLog1796310000000,
];
