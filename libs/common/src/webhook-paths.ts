import { SourceKind } from './source-vocabulary';

/** The path segment of each cloud app's webhook endpoint on apps/ingest (decided in DESIGN.md "Names"). */
const WEBHOOK_APPS = {
  [SourceKind.STRIPE]: 'stripe',
  [SourceKind.HUBSPOT]: 'hubspot',
  [SourceKind.SHOPIFY]: 'shopify',
} as const satisfies Partial<Record<SourceKind, string>>;

export type WebhookApp = (typeof WEBHOOK_APPS)[keyof typeof WEBHOOK_APPS];

/** `/webhooks/<app>/:sourceId`: the route apps/ingest registers for one cloud app's webhooks. */
export function webhookRoute(app: WebhookApp): string {
  return `/webhooks/${app}/:sourceId`;
}

/** The route of a kind's webhooks (`/webhooks/<app>/:sourceId`); null for kinds that get none. */
export function webhookRouteOf(kind: SourceKind): string | null {
  const app: WebhookApp | undefined = (WEBHOOK_APPS as Partial<Record<SourceKind, WebhookApp>>)[kind];
  return app ? webhookRoute(app) : null;
}

/** `/webhooks/<app>/<sourceId>` for a cloud-app source; null for kinds that get no webhooks (event streams). */
export function webhookPath(kind: SourceKind, sourceId: string): string | null {
  return webhookRouteOf(kind)?.replace(':sourceId', encodeURIComponent(sourceId)) ?? null;
}

/** The address a cloud app is told to call: INGEST_PUBLIC_URL plus the source's webhook path, or null. */
export function webhookUrl(ingestPublicUrl: string, kind: SourceKind, sourceId: string): string | null {
  const path = webhookPath(kind, sourceId);
  return path === null ? null : `${ingestPublicUrl}${path}`;
}
