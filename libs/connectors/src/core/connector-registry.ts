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

/**
 * Registers the source's webhook endpoint at `url` with its app (see WebhookSupport.register). Where the app
 * signs with its app secret, the source must already hold it (`hasSecret`): deliveries would all be refused.
 */
export function registerWebhook(
  credentials: CloudCredentials,
  settings: ConnectorSettings,
  target: { url: string; hasSecret: boolean },
  signal?: AbortSignal,
): Promise<RegisteredWebhook> {
  const definition: ConnectorDefinition | undefined = connectorDefinition(credentials.kind);
  const webhooks = definition?.webhooks;
  if (!definition || !webhooks?.register) {
    throw new ProviderError('invalid', `${credentials.kind} webhooks cannot be registered`, 'tributary');
  }
  if (webhooks.signingKey === 'app' && !target.hasSecret) {
    const message =
      `${webhooks.name} signs its webhooks with the app's client secret, and this source has none: set ` +
      `${definition.key}.webhookSecret with setSourceCredentials, then register again`;
    return Promise.reject(new ProviderError('invalid', message, 'tributary'));
  }
  return webhooks.register(credentials, settings, target.url, signal);
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
