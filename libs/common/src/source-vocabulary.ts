/** What a source is; fixed after creation. */
export enum SourceKind {
  JAVASCRIPT = 'JAVASCRIPT',
  IOS = 'IOS',
  ANDROID = 'ANDROID',
  NODEJS = 'NODEJS',
  HTTP_API = 'HTTP_API',
  GTM = 'GTM',
  HUBSPOT = 'HUBSPOT',
  SHOPIFY = 'SHOPIFY',
  STRIPE = 'STRIPE',
}

export enum SourceEnvironment {
  PRODUCTION = 'PRODUCTION',
  STAGING = 'STAGING',
  DEVELOPMENT = 'DEVELOPMENT',
}

/** ACTIVE and PAUSED are set by admins; DISABLED is reserved for the system (e.g. abuse, billing). */
export enum SourceStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  DISABLED = 'DISABLED',
}

/** Identifier types the identity graph knows; sources declare which they may merge on or only attach. */
export enum IdentifierType {
  ANONYMOUS_ID = 'ANONYMOUS_ID',
  USER_ID = 'USER_ID',
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
  HUBSPOT_CONTACT_ID = 'HUBSPOT_CONTACT_ID',
  SHOPIFY_CUSTOMER_ID = 'SHOPIFY_CUSTOMER_ID',
  STRIPE_CUSTOMER_ID = 'STRIPE_CUSTOMER_ID',
}

const EVENT_STREAM_KINDS: ReadonlySet<SourceKind> = new Set([
  SourceKind.JAVASCRIPT,
  SourceKind.IOS,
  SourceKind.ANDROID,
  SourceKind.NODEJS,
  SourceKind.HTTP_API,
  SourceKind.GTM,
]);

/** Event-stream kinds receive events with write keys; the others are cloud apps synced with credentials. */
export function isEventStreamKind(kind: SourceKind): boolean {
  return EVENT_STREAM_KINDS.has(kind);
}

export function isCloudAppKind(kind: SourceKind): boolean {
  return !EVENT_STREAM_KINDS.has(kind);
}
