import type { ConcurrencySlots } from './concurrency-slots';
import type { Connector, ConnectorSettings } from './connector';
import type { AccountLookup, ConnectorDefinition, RegisteredWebhook } from './connector-definition';
import { type CloudCredentials, connectorDefinition } from './connector-definitions';
import { ProviderError } from './provider-error';
import type { RequestBudget } from './request-budget';

/** Builds the connector of a source's app from its definition; the engine reaches apps only through here. */
export function createConnector(
  credentials: CloudCredentials,
  settings: ConnectorSettings,
  budget: RequestBudget,
  slots?: ConcurrencySlots,
): Connector {
  return syncingDefinition(credentials).create(credentials, settings, budget, slots);
}

/** The app's key and how to name the account a source's credentials belong to (see AccountLookup). */
export function accountLookup(credentials: CloudCredentials): {
  app: string;
  account: AccountLookup<CloudCredentials>;
} {
  const definition = syncingDefinition(credentials);
  return { app: definition.key, account: definition.account };
}

/** Registers the source's webhook endpoint at `url` with its app (see WebhookSupport.register). */
export function registerWebhook(
  credentials: CloudCredentials,
  settings: ConnectorSettings,
  url: string,
  signal?: AbortSignal,
): Promise<RegisteredWebhook> {
  const webhooks = connectorDefinition(credentials.kind)?.webhooks;
  if (!webhooks?.register) {
    throw new ProviderError('invalid', `${credentials.kind} webhooks cannot be registered`, 'tributary');
  }
  return webhooks.register(credentials, settings, url, signal);
}

type SyncingDefinition = Required<Pick<ConnectorDefinition, 'key' | 'create' | 'account'>>;

function syncingDefinition(credentials: CloudCredentials): SyncingDefinition {
  const definition: ConnectorDefinition | undefined = connectorDefinition(credentials.kind);
  if (!definition?.create || !definition.account) {
    throw new ProviderError(
      'invalid',
      `${credentials.kind} syncs are not available yet`,
      credentials.kind.toLowerCase(),
    );
  }
  return definition as SyncingDefinition;
}
