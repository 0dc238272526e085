export type { Connector, ConnectorSettings, MappedRecord, ObjectDescriptor, Page } from './core/connector';
export { createConnector } from './core/connector-registry';
export { ProviderError, type ProviderErrorKind } from './core/provider-error';
export { classifyStripeError } from './stripe/stripe.errors';
export { stripeClientOptions } from './stripe/stripe.connector';
