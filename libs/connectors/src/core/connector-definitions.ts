import type { SourceKind } from '@app/common';
import { hubspotDefinition } from '../hubspot/hubspot.definition';
import { shopifyDefinition } from '../shopify/shopify.definition';
import { stripeDefinition } from '../stripe/stripe.definition';
import type { ConnectorDefinition, CredentialsOf } from './connector-definition';

/** Every cloud app, one line each: the one place that names the app folders (STYLE §9 registry). */
export const CONNECTOR_DEFINITIONS = [stripeDefinition, hubspotDefinition, shopifyDefinition] as const;

type AnyDefinition = (typeof CONNECTOR_DEFINITIONS)[number];

/** Credentials per cloud app. Plaintext exists only in memory: sealed at rest, never returned. */
export type CloudCredentials = AnyDefinition extends infer D
  ? D extends ConnectorDefinition<infer K, infer F>
    ? CredentialsOf<K, F>
    : never
  : never;

/** The kinds synced with credentials (served on `source-<id>` queues by the worker). */
export const CLOUD_APP_KINDS: readonly SourceKind[] = CONNECTOR_DEFINITIONS.map((d) => d.kind);

/** The definition of a cloud-app kind; undefined for event-stream kinds. */
export function connectorDefinition(kind: SourceKind): ConnectorDefinition | undefined {
  return (CONNECTOR_DEFINITIONS as readonly ConnectorDefinition[]).find((d) => d.kind === kind);
}

/** Names of the objects a source of `kind` syncs (empty when it syncs nothing yet). */
export function syncObjects(kind: SourceKind): string[] {
  return connectorDefinition(kind)?.objects.map((o) => o.name) ?? [];
}
