import type { SourceKind } from '@app/common';
import type { ConcurrencySlots } from './concurrency-slots';
import type { Connector, ConnectorSettings, ObjectDescriptor } from './connector';
import type { AccountLimit, RequestBudget, RequestRate } from './request-budget';

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
  /** The account's further limits (a daily quota, a search rate), each a bucket of its own; none when absent. */
  limits?(credentials: C, settings: ConnectorSettings): readonly AccountLimit[];
  /**
   * How many long-running jobs (Shopify's bulk queries) the account runs at once, where its app limits that: the
   * engine then hands `create` the account's slots (ConcurrencySlots), shared by every source and worker on it.
   */
  jobSlots?(credentials: C, settings: ConnectorSettings): number;
}

/** What registering a webhook endpoint with the app gave us. */
export interface RegisteredWebhook {
  /** The app's ids of what now delivers to the URL: Stripe's one endpoint, Shopify's subscription per topic. */
  endpointIds: string[];
  /**
   * The endpoint's own signing secret, stored sealed by the caller, never returned or logged. Absent where
   * the app signs with its app secret (`signingKey: 'app'`): the source's stored webhook secret is kept.
   */
  secret?: string;
  /** Earlier endpoints of ours at the same URL that the registration removed. */
  replaced: string[];
}

/**
 * A delivery as apps/ingest received it, before anything parsed it: the signature covers these bytes, and
 * `url` is the full public URI (INGEST_PUBLIC_URL + the request's path and query), the one the app signed.
 */
export interface SignedRequest {
  method: string;
  url: string;
  /** A header's value (names are case-insensitive); undefined when absent or repeated. */
  header(name: string): string | undefined;
  body: Buffer;
}

/** Whether a delivery is the app's: the reason never holds a secret or the body. */
export type SignatureCheck =
  { ok: true } | { ok: false; problem: 'missing' | 'malformed' | 'stale' | 'mismatch'; reason: string };

/**
 * One event of a verified delivery: `eventId` is the app's id of the delivery's event (deduplicated per
 * source), `changeId` what the connector's `changes.readChange` reads it back by. Only these ids cross into
 * Temporal; null changeId: the event is acknowledged but starts nothing (say why where it is decided).
 */
export interface WebhookEvent {
  eventId: string;
  changeId: string | null;
}

/**
 * How an app signs its webhooks, what a delivery holds and, where its API allows it, how we register an
 * endpoint. apps/ingest serves `POST /webhooks/<key>/<sourceId>` for every app that has this, verifying
 * with `verify` and deduplicating by the events' ids: no app's name appears outside its folder.
 */
export interface WebhookSupport<C> {
  /** The app's name in what ingest logs and answers ("Stripe webhook refused"). */
  readonly name: string;
  /** The signing secret's check, for a secret set by hand (`webhookSecret` in the credentials input). */
  readonly secret: CredentialField;
  /**
   * Which key signs the deliveries: `endpoint`, each registered endpoint's own (Stripe: `register` returns
   * it, or it is set by hand); `app`, the app's client secret (HubSpot, Shopify), set by hand as
   * webhookSecret and needed before registering, since `register` returns none.
   */
  readonly signingKey: 'endpoint' | 'app';
  /** The largest delivery the app sends (413 beyond). */
  readonly bodyLimitBytes: number;
  /**
   * The answer to a delivery whose signature does not verify. 401 says it (HubSpot); Stripe's endpoint has
   * answered 400 since it shipped (issue 9), and a sender's retries do not depend on which.
   */
  readonly refusedStatus: 400 | 401;
  /** Checks the delivery's signature against the source's secrets (current first) at `nowMs`. */
  verify(request: SignedRequest, secrets: readonly string[], nowMs: number): SignatureCheck;
  /**
   * The events of a verified delivery, or what is wrong with it (a 400 reason; never echoes the body). Most
   * apps put everything in the body; Shopify names the event in a header (X-Shopify-Event-Id).
   */
  events(body: Buffer, header: SignedRequest['header']): WebhookEvent[] | { problem: string };
  /**
   * Creates our endpoint at `url` (replacing earlier ones there) with the event types we need; registering
   * again leaves one set. Absent where endpoints are configured in the app itself (HubSpot: the developer
   * app's webhook settings).
   */
  register?(credentials: C, settings: ConnectorSettings, url: string, signal?: AbortSignal): Promise<RegisteredWebhook>;
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
   * The connector awaits `budget.take()` before each request it sends, and holds one of `slots` (given when
   * `account.jobSlots` says how many) while each of its long-running jobs runs.
   */
  create?(
    credentials: CredentialsOf<K, F>,
    settings: ConnectorSettings,
    budget: RequestBudget,
    slots?: ConcurrencySlots,
  ): Connector;
  /** Whose rate limit the source's requests count against; required with `create`. */
  account?: AccountLookup<CredentialsOf<K, F>>;
  /** Signed webhooks (registered through the app's API where it has one). */
  webhooks?: WebhookSupport<CredentialsOf<K, F>>;
}

/** Infers the kind and the credentials fields of a definition (so the credentials union stays exact). */
export function defineConnector<K extends SourceKind, F extends string>(
  definition: ConnectorDefinition<K, F>,
): ConnectorDefinition<K, F> {
  return definition;
}
