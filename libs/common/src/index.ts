export { assertNever } from './assert-never';
export { decodeCursor, encodeCursor, type KeysetPosition } from './cursor';
export { DomainErrorCode, DomainException } from './domain.exception';
export { InvariantError, invariant } from './invariant';
export { KeyNotFoundError, Keyring, type Sealed } from './keyring';
export { Role, type Actor } from './actor';
export {
  IdentifierType,
  SourceEnvironment,
  SourceKind,
  SourceStatus,
  isCloudAppKind,
  isEventStreamKind,
} from './source-vocabulary';
export { hashSecret, newSecret, secretMatches } from './secret-hash';
export { type WebhookApp, webhookPath, webhookRoute, webhookRouteOf, webhookUrl } from './webhook-paths';
export {
  DEFAULT_TRACKING_PLAN,
  type JsonSchema,
  TRACKING_PLAN_MODES,
  type TrackingPlan,
  type TrackingPlanEvent,
  type TrackingPlanMode,
  planAjv,
} from './tracking-plan';
