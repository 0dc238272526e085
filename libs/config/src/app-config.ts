import type { LOG_LEVELS, NODE_ENVS } from './env.schema';

/** The typed, validated configuration every app and lib reads (never process.env). */
export interface AppConfig {
  nodeEnv: (typeof NODE_ENVS)[number];
  api: { host: string; port: number; publicUrl: string | undefined; bodyLimitBytes: number };
  ingest: { host: string; port: number; publicUrl: string };
  database: { url: string; poolSize: number; skipMigrations: boolean };
  log: { level: (typeof LOG_LEVELS)[number] };
  encryption: { keys: ReadonlyMap<string, Buffer>; activeKeyId: string };
  graphql: { maxDepth: number; graphiqlEnabled: boolean; maxCost: number; maxAliases: number };
  /** Failed authentications allowed per window before 429 (valid tokens are never limited). */
  authFailures: { perAddress: number; perProcess: number; windowMs: number };
  /** Fastify's trustProxy: whether (and which) proxies' X-Forwarded-For names the client address. */
  trustProxy: boolean | number | string[];
  temporal: { address: string; namespace: string; uiUrl: string };
  stripe: {
    apiBaseUrl: string;
    /** Each Stripe account's request budget, by the mode of the key (Stripe limits live and test apart). */
    requestRate: { live: RequestRateConfig; test: RequestRateConfig };
  };
  hubspot: {
    apiBaseUrl: string;
    /** Each HubSpot portal's request budget (HubSpot's limit depends on the portal's tier). */
    requestRate: RequestRateConfig;
  };
  /** null: every shop's own origin (https://<shop>.myshopify.com); set: one origin for all shops (the emulator). */
  shopify: {
    apiBaseUrl: string | null;
    /** Each shop's query cost budget in points (a query takes its requested cost; at most 1000 each). */
    costRate: RequestRateConfig;
  };
  sources: { purgeGraceSeconds: number };
  /** The ingestion log's retention, and when source.ingestionHealth flags a source (by default). */
  ingestionLog: { retentionDays: number; healthWindowMinutes: number; healthThresholdPercent: number };
  /** How long a quarantined event is kept (its expiry is set when it is quarantined). */
  quarantine: { retentionDays: number };
  sync: {
    queueWaitMs: number;
    stallMs: number;
    fullRefreshIntervalMs: number;
    /** `created` windows a first sync reads at once (SYNC_FIRST_SYNC_SLICES; 1 = one listing). */
    firstSyncSlices: number;
  };
  worker: {
    sourceConcurrency: number;
    maxConcurrentActivities: number;
    reconcileIntervalMs: number;
    maxCachedWorkflows: number;
  };
}

/** Requests per second to one provider account, and the burst allowed on top. */
export interface RequestRateConfig {
  perSecond: number;
  burst: number;
}

/** Injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
