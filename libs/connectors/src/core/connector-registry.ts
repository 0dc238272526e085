import { type CloudCredentials, SourceKind } from '@app/common';
import { createStripeConnector } from '../stripe/stripe.connector';
import type { Connector, ConnectorFactory, ConnectorSettings } from './connector';
import { ProviderError } from './provider-error';

// The only place that knows which app is implemented by which folder.
const FACTORIES: Partial<Record<SourceKind, ConnectorFactory>> = {
  [SourceKind.STRIPE]: createStripeConnector,
};

export function createConnector(credentials: CloudCredentials, settings: ConnectorSettings): Connector {
  const factory = FACTORIES[credentials.kind];
  if (!factory) {
    throw new ProviderError(
      'invalid',
      `${credentials.kind} syncs are not available yet`,
      credentials.kind.toLowerCase(),
    );
  }
  return factory(credentials, settings);
}
