import type { Connector, ConnectorSettings } from './connector';
import type { ConnectorDefinition } from './connector-definition';
import { type CloudCredentials, connectorDefinition } from './connector-definitions';
import { ProviderError } from './provider-error';

/** Builds the connector of a source's app from its definition; the engine reaches apps only through here. */
export function createConnector(credentials: CloudCredentials, settings: ConnectorSettings): Connector {
  const definition: ConnectorDefinition | undefined = connectorDefinition(credentials.kind);
  if (!definition?.create) {
    throw new ProviderError(
      'invalid',
      `${credentials.kind} syncs are not available yet`,
      credentials.kind.toLowerCase(),
    );
  }
  return definition.create(credentials, settings);
}
