import type { SourceKind } from '@app/common';
import type { Connector, ConnectorSettings, ObjectDescriptor } from './connector';
import type { RequestBudget, RequestRate } from './request-budget';

/** One credentials field: its GraphQL description and the check that says what to fix. */
export interface CredentialField {
  readonly description: string;
  readonly pattern: RegExp;
  /** Ends "<app>.<field> …", e.g. "must be a Stripe secret key (sk_…)"; never echoes the value. */
  readonly message: string;
  /** The canonical form checked and stored (e.g. a lower-cased domain); the value as given when absent. */
  readonly normalize?: (value: string) => string;
}

/**
 * Provider rate limits are per account (Stripe's account, HubSpot's portal, Shopify's shop): how to name
 * the account a source's credentials belong to, and its request rate. The engine keeps one request budget
 * per account key and caches a source's key until its credentials change.
 */
export interface AccountLookup<C> {
  /**
   * One cheap call naming the account, e.g. `stripe:acct_1Nv0FGQ9RKHgCVdK:test`: stable, unique across
   * apps; null when the credentials cannot name it (the source then gets a budget of its own).
   */
  key(credentials: C, settings: ConnectorSettings, signal?: AbortSignal): Promise<string | null>;
  /** The account's request rate, from the process settings (never a call). */
  rate(credentials: C, settings: ConnectorSettings): RequestRate;
}

/** What registering a webhook endpoint with the app gave us. */
export interface RegisteredWebhook {
  endpointId: string;
  /** The endpoint's signing secret; stored sealed by the caller, never returned or logged. */
  secret: string;
  /** Earlier endpoints of ours at the same URL that the registration removed. */
  replaced: string[];
}

/** How an app signs its webhooks and how we register an endpoint with it (apps/ingest verifies them). */
export interface WebhookSupport<C> {
  /** The signing secret's check, for a secret set by hand (`webhookSecret` in the credentials input). */
  readonly secret: CredentialField;
  /** Creates our endpoint at `url` (replacing earlier ones there) with the event types we need. */
  register(credentials: C, settings: ConnectorSettings, url: string, signal?: AbortSignal): Promise<RegisteredWebhook>;
}

/** A source's credentials for one app: its kind plus one string per credentials field. */
export type CredentialsOf<K extends SourceKind, F extends string> = { kind: K } & Record<F, string>;

/**
 * Everything Tributary knows about one cloud app, in one place (libs/connectors/src/<app>/<app>.definition.ts).
 * The credentials union, the GraphQL credentials inputs, the objects a trigger accepts, the worker's cloud
 * kinds and the registry all derive from the list of definitions (connector-definitions.ts).
 */
export interface ConnectorDefinition<K extends SourceKind = SourceKind, F extends string = string> {
  readonly kind: K;
  /** The app's key: its field in setSourceCredentials' input (`stripe: {…}`), and its provider name. */
  readonly key: string;
  readonly credentials: {
    /** The GraphQL input type, e.g. StripeCredentialsInput. */
    readonly inputName: string;
    /** In GraphQL field order. */
    readonly fields: Readonly<Record<F, CredentialField>>;
  };
  /** What a source of this kind syncs, with primary key and cursor field; empty while it cannot sync yet. */
  readonly objects: readonly ObjectDescriptor[];
  /**
   * Builds the connector from a source's credentials and the process settings; absent while it cannot sync.
   * The connector awaits `budget.take()` before each request it sends.
   */
  create?(credentials: CredentialsOf<K, F>, settings: ConnectorSettings, budget: RequestBudget): Connector;
  /** Whose rate limit the source's requests count against; required with `create`. */
  account?: AccountLookup<CredentialsOf<K, F>>;
  /** Signed webhooks, where the app's endpoint can be registered through its API. */
  webhooks?: WebhookSupport<CredentialsOf<K, F>>;
}

/** Infers the kind and the credentials fields of a definition (so the credentials union stays exact). */
export function defineConnector<K extends SourceKind, F extends string>(
  definition: ConnectorDefinition<K, F>,
): ConnectorDefinition<K, F> {
  return definition;
}
