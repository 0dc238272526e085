// Public API: the contract and the definitions only; the app folders are reached through the registry.
export type {
  ChangeLog,
  ChangePage,
  ChangeVersion,
  Connector,
  ConnectorSettings,
  CreatedWindow,
  MappedRecord,
  ObjectDescriptor,
  Page,
  RecordChange,
  WindowedListing,
} from './core/connector';
export type { AccountLookup, ConnectorDefinition, CredentialField, CredentialsOf } from './core/connector-definition';
export {
  CLOUD_APP_KINDS,
  CONNECTOR_DEFINITIONS,
  type CloudCredentials,
  connectorDefinition,
  syncObjects,
} from './core/connector-definitions';
export { accountLookup, createConnector } from './core/connector-registry';
export { checkCredentials, type CredentialsCheck } from './core/credentials';
export { ProviderError, type ProviderErrorKind } from './core/provider-error';
export type { AccountLimit, BudgetSettlement, RequestBudget, RequestKind, RequestRate } from './core/request-budget';
export type { ConcurrencySlots } from './core/concurrency-slots';
// Issue 9: registering an app's webhook endpoint (Stripe so far).
export type {
  RegisteredWebhook,
  SignatureCheck,
  SignedRequest,
  WebhookEvent,
  WebhookSupport,
} from './core/connector-definition';
export { registerWebhook } from './core/connector-registry';
