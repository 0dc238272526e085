export {
  EVENT_RETENTION_DAYS,
  EventMaintenance,
  type MaintenanceReport,
  PARTITION_DAYS_AHEAD,
} from './event-maintenance';
export { EventReader, type EventPage, type StoredEvent } from './event-reader';
export { dayStart, partitionName } from './event-partitions';
export {
  COPY_MIN_EVENTS,
  DEFAULT_DEDUPE_WINDOW_DAYS,
  EventStore,
  type SourceEvent,
  type StoreOutcome,
} from './event-store';
export { GroupCommit } from './group-commit';
export { IngestionModule } from './ingestion.module';
export { IngestionService } from './ingestion.service';
export type { ItemRejection, ItemResult, RejectionCode } from './item-result';
export { RateGate, RateLimitedError, type RateRequest, type RateVerdict, type SourceRateLimit } from './rate-gate';
export { decodeTrackingBody, type DecodedBody } from './tracking-body';
export * from './tracking-limits';
export { MESSAGE_TYPES, type MessageType, type TrackingEvent, normalizeMessage } from './tracking-message';
export { originAllowed } from './tracking-origins';
export { splitTrackingRequest, type TrackingEndpoint } from './tracking-request';
export {
  registerTrackingRoutes,
  TRACKING_PATHS,
  trackingWriteKeyPolicy,
  type WriteKeyResolution,
  type WriteKeyResolver,
} from './tracking.routes';
export { type ClientSource, rudderSourceConfig, segmentApiHost, segmentSettings } from './client-config';
export { type ClientSourceLookup, registerClientConfigRoutes } from './client-config.routes';
export { WRITE_KEY_CACHE_MS, cachedWriteKeys } from './write-key-cache';
export { type CompiledPlan, CompiledPlans, compilePlan, type PlanViolation } from './plan-check';
export { QuarantineStore } from './quarantine/quarantine-store';
export { QuarantineReplays, type ReplayFilter, type ReplayView } from './quarantine/quarantine-replays';
export { createQuarantineReplayActivities, type QuarantineReplayActivities } from './quarantine/replay.activities';
export { QuarantineReplayModule } from './quarantine/quarantine-replay.module';
export { type QuarantinedEvent, type QuarantinePage, QuarantineReader } from './quarantine/quarantine-reader';
export { INGESTION_LOG_FLUSH_MS, IngestionLog } from './ingestion-log';
export {
  type CounterBucket,
  IngestionLogReader,
  type RejectionPage,
  type StoredRejection,
} from './ingestion-log-reader';
export { GRANULARITIES, type Granularity } from './ingestion-log-range';
export { type IngestionHealth, ingestionHealth, TOP_REASONS } from './ingestion-health';
export { COUNTED_STATUSES, type CountedStatus, REJECTION_PAYLOAD_CHARS } from './ingestion-tally';
export { registerSdkFileRoutes, SDK_URL_PATH, type SdkFileRouteOptions } from './sdk-file.routes';
