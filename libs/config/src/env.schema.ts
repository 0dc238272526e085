import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) {
    return true;
  }
  if (['false', '0', 'no', ''].includes(v)) {
    return false;
  }
  return value;
};

/**
 * Every environment variable Tributary reads, with its default.
 * `.env.example` mirrors this class; a unit test keeps the two in step.
 */
export class EnvVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @IsString()
  API_HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  API_PORT = 3000;

  // Base URL the api prints and links with (GraphiQL, later Temporal deep links back to us).
  @IsOptional()
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be scheme://host[:port] without a path' })
  API_PUBLIC_URL?: string;

  // apps/ingest, the public edge (tracking API, SDK files, cloud-app webhooks).
  @IsString()
  INGEST_HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  INGEST_PORT = 3001;

  // The address browsers, SDKs and cloud apps use to reach apps/ingest: webhook URLs and SDK snippets
  // are built from it, so it is set for the api too.
  @Matches(/^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, {
    message: 'must be scheme://host[:port] without a path, e.g. https://ingest.example.com',
  })
  INGEST_PUBLIC_URL = 'http://127.0.0.1:3001';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/tributary';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Transform(toBool)
  @IsBoolean()
  DB_SKIP_MIGRATIONS = false;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  // Keyring for credentials at rest: comma-separated `<id>:<base64 of 32 bytes>`.
  @Matches(/^\s*[A-Za-z0-9]{1,16}:[A-Za-z0-9+/=]+\s*(,\s*[A-Za-z0-9]{1,16}:[A-Za-z0-9+/=]+\s*)*$/, {
    message: 'must be a comma-separated list of <id>:<base64 32-byte key>, e.g. v1:<44 base64 chars>',
  })
  ENCRYPTION_KEYS: string;

  @Matches(/^[A-Za-z0-9]{1,16}$/, { message: 'must be the id of one key in ENCRYPTION_KEYS, e.g. v1' })
  ENCRYPTION_ACTIVE_KEY: string;

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(50)
  GRAPHQL_MAX_DEPTH = 12;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  HTTP_BODY_LIMIT_BYTES = 1024 * 1024;

  @Transform(toBool)
  @IsBoolean()
  GRAPHIQL_ENABLED = true;

  // Abuse limits of the GraphQL edge (see README, Errors): query cost and aliases per operation.
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  GRAPHQL_MAX_COST = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  GRAPHQL_MAX_ALIASES = 30;

  // Failed authentications (bad or unknown tokens) allowed per window, per client address and per process.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUTH_FAILURES_PER_ADDRESS = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_FAILURES_PER_PROCESS = 200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTH_FAILURE_WINDOW_SECONDS = 60;

  // Whether X-Forwarded-For names the client: false, true (any proxy), a hop count, or proxy addresses/CIDRs.
  @Matches(/^(true|false|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    message: 'must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
  })
  TRUST_PROXY = 'false';

  // host:port of the Temporal frontend (the dev server, or a self-hosted/cloud cluster).
  @Matches(/^[A-Za-z0-9.-]+:\d{1,5}$/, { message: 'must be host:port, e.g. 127.0.0.1:7233' })
  TEMPORAL_ADDRESS = '127.0.0.1:7233';

  @Matches(/^[A-Za-z0-9._-]{1,255}$/, { message: 'must be a Temporal namespace name, e.g. default' })
  TEMPORAL_NAMESPACE = 'default';

  // Where operators open workflows; sync runs link into it.
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be scheme://host[:port] without a path' })
  TEMPORAL_UI_URL = 'http://127.0.0.1:8233';

  // Stripe API origin for every Stripe source (the local emulator in dev and tests); never per source.
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be scheme://host[:port] without a path' })
  STRIPE_API_BASE_URL = 'https://api.stripe.com';

  // Request budget per Stripe account, shared by every worker and source on it (requests per second, live
  // and test mode keys, and the burst on top). The defaults keep any one second within Stripe's documented
  // limits (100/s live, 25/s test).
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  STRIPE_LIVE_REQUESTS_PER_SECOND = 95;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  STRIPE_TEST_REQUESTS_PER_SECOND = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  STRIPE_REQUEST_BURST = 5;

  // HubSpot API origin for every HubSpot source (the local emulator in dev and tests); never per source.
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be scheme://host[:port] without a path' })
  HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';

  // Each HubSpot portal's request budget: 9/s with a burst of 5 stays inside every tier's 10-second limit
  // (Free/Starter 100); a Professional or Enterprise portal (190) may take 18/s with a burst of 10.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  HUBSPOT_REQUESTS_PER_SECOND = 9;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  HUBSPOT_REQUEST_BURST = 5;

  // Shopify Admin API origin for every Shopify source (the local emulator in dev and tests); unset: each shop's
  // own origin, https://<shop>.myshopify.com. Requests keep the path /admin/api/<version>/graphql.json.
  @IsOptional()
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be scheme://host[:port] without a path' })
  SHOPIFY_API_BASE_URL?: string;

  // Each shop's query cost budget (shared by every worker and source on it): points restored per second and the
  // bucket's size. Defaults are the Standard plan's (100/s, 2000); Advanced restores 200/s, Plus 1000/s.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SHOPIFY_COST_POINTS_PER_SECOND = 100;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(1_000_000)
  SHOPIFY_COST_BUCKET_POINTS = 2000;

  // Seconds a deleted source's data is kept (restoreSource works meanwhile) before the purge deletes it; 0 = at once.
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365 * 24 * 3600)
  SOURCE_PURGE_GRACE_SECONDS = 7 * 24 * 3600;

  // Days the ingestion log (per-minute counters and rejected items) is kept; ingest drops older rows hourly.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  INGESTION_LOG_RETENTION_DAYS = 30;

  // Days a quarantined event (blocked by its source's tracking plan) is kept for repair and replay; ingest
  // drops older ones hourly. Applies to events quarantined from then on (each row keeps its expiry).
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  QUARANTINE_RETENTION_DAYS = 30;

  // source.ingestionHealth: the window (minutes) and the share (percent) of rejected or rate-limited
  // messages above which a source is flagged; a GraphQL argument may override each.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1440)
  INGESTION_HEALTH_WINDOW_MINUTES = 15;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  INGESTION_HEALTH_THRESHOLD_PERCENT = 10;

  // Seconds a sync page may wait for a worker to pick it up; then the run fails if no worker serves the source.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  SYNC_QUEUE_WAIT_SECONDS = 300;

  // Minutes between full refreshes of an object that otherwise syncs incrementally from the provider's change
  // log (Stripe events); a full refresh finds what the change log missed and marks deletes. 0: every run.
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 60)
  SYNC_FULL_REFRESH_MINUTES = 24 * 60;

  // Seconds a running sync may go without committing a page before GraphQL flags it needsAttention.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  SYNC_STALL_SECONDS = 900;

  // `created` windows a first sync of a large listing reads at once (1 = one listing); each is an activity.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  SYNC_FIRST_SYNC_SLICES = 4;

  // Activities one source may run at once (its own task queue's worker): as many as a first sync's slices.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_SOURCE_CONCURRENCY = 4;

  // Activities the whole worker process may run at once, across all sources.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  WORKER_MAX_CONCURRENT_ACTIVITIES = 32;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  WORKER_RECONCILE_INTERVAL_SECONDS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  WORKER_MAX_CACHED_WORKFLOWS = 200;
}

/** Variables whose values never reach logs or error messages. */
export const SENSITIVE_VARIABLES: ReadonlyArray<keyof EnvVariables> = ['DATABASE_URL', 'ENCRYPTION_KEYS'];
