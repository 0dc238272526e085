import { type SourceKind, webhookRouteOf } from '@app/common';
import { CONNECTOR_DEFINITIONS, type ConnectorDefinition, type WebhookSupport } from '@app/connectors';

/** A cloud app that sends signed webhooks: its definition's key, kind, name and webhook support. */
export interface WebhookApp {
  key: string;
  kind: SourceKind;
  name: string;
  webhooks: WebhookSupport<never>;
  /** `/webhooks/<key>/:sourceId`. */
  route: string;
}

/** Every app whose connector definition has `webhooks`; ingest serves a route for each. */
export const WEBHOOK_APPS: readonly WebhookApp[] = (CONNECTOR_DEFINITIONS as readonly ConnectorDefinition[]).flatMap(
  (definition) =>
    definition.webhooks
      ? [
          {
            key: definition.key,
            kind: definition.kind,
            name: definition.webhooks.name,
            webhooks: definition.webhooks,
            route: webhookRouteOf(definition.kind)!,
          },
        ]
      : [],
);

export function webhookApp(key: string): WebhookApp {
  const app = WEBHOOK_APPS.find((a) => a.key === key);
  if (!app) {
    throw new Error(`No app with webhooks has the key "${key}"`);
  }
  return app;
}
