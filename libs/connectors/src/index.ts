export type { Connector, ConnectorSettings, MappedRecord, ObjectDescriptor, Page } from './core/connector';
export type { ConnectorDefinition, CredentialField, CredentialsOf } from './core/connector-definition';
export {
  CLOUD_APP_KINDS,
  CONNECTOR_DEFINITIONS,
  type CloudCredentials,
  connectorDefinition,
  syncObjects,
} from './core/connector-definitions';
export { createConnector } from './core/connector-registry';
export { checkCredentials, type CredentialsCheck } from './core/credentials';
export { ProviderError, type ProviderErrorKind } from './core/provider-error';
export { classifyStripeError } from './stripe/stripe.errors';
export { stripeClientOptions } from './stripe/stripe.connector';
