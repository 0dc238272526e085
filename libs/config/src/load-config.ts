import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { isIP } from 'node:net';
import type { AppConfig } from './app-config';
import { ConfigError } from './config.error';
import { applyEnvFallback, type EnvFallback } from './env-fallback';
import { EnvVariables, SENSITIVE_VARIABLES } from './env.schema';

const KEY_BYTES = 32;

/**
 * Validates the environment once and returns the typed config.
 * Throws ConfigError naming each variable and what is expected; never echoes a secret value.
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new EnvVariables()).concat([
    'API_PUBLIC_URL',
    'SHOPIFY_API_BASE_URL',
    'ENCRYPTION_KEYS',
    'ENCRYPTION_ACTIVE_KEY',
  ]);
  // Empty strings mean "unset" so that `VAR=` in a .env file falls back to the default.
  const plain = Object.fromEntries(known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const vars = plainToInstance(EnvVariables, plain, { exposeDefaultValues: true });
  const problems = validateSync(vars, { forbidUnknownValues: true }).map((e) =>
    describe(e.property, plain[e.property], e.constraints),
  );
  // The keyring's own checks need both variables well-formed; report them alongside any other problem.
  if (!problems.some((p) => p.startsWith('ENCRYPTION_'))) {
    problems.push(...crossCheckEncryption(vars));
  }
  if (!problems.some((p) => p.startsWith('TRUST_PROXY'))) {
    problems.push(...checkTrustProxy(vars.TRUST_PROXY));
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return toAppConfig(vars);
}

function describe(property: string, value: unknown, constraints: Record<string, string> | undefined): string {
  const shown =
    SENSITIVE_VARIABLES.includes(property as keyof EnvVariables) || value === undefined
      ? value === undefined
        ? 'unset'
        : '<redacted>'
      : JSON.stringify(value);
  const why = Object.values(constraints ?? {}).map((m) => m.replace(new RegExp(`^${property} `), ''));
  return `${property} (${shown}): ${why.join('; ')}`;
}

export function parseKeyring(raw: string): { keys: Map<string, Buffer>; problems: string[] } {
  const keys = new Map<string, Buffer>();
  const problems: string[] = [];
  for (const entry of raw.split(',').map((s) => s.trim())) {
    const sep = entry.indexOf(':');
    const id = entry.slice(0, sep);
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== KEY_BYTES) {
      problems.push(
        `ENCRYPTION_KEYS: key "${id}" decodes to ${key.length} bytes; each key must be 32 random bytes in base64 (openssl rand -base64 32)`,
      );
    } else if (keys.has(id)) {
      problems.push(`ENCRYPTION_KEYS: key id "${id}" appears twice; ids must be unique`);
    } else {
      keys.set(id, key);
    }
  }
  return { keys, problems };
}

function crossCheckEncryption(vars: EnvVariables): string[] {
  const { keys, problems } = parseKeyring(vars.ENCRYPTION_KEYS);
  if (problems.length === 0 && !keys.has(vars.ENCRYPTION_ACTIVE_KEY)) {
    problems.push(
      `ENCRYPTION_ACTIVE_KEY ("${vars.ENCRYPTION_ACTIVE_KEY}"): must name a key in ENCRYPTION_KEYS (present: ${[...keys.keys()].join(', ')})`,
    );
  }
  return problems;
}

function toAppConfig(v: EnvVariables): AppConfig {
  return {
    nodeEnv: v.NODE_ENV,
    api: { host: v.API_HOST, port: v.API_PORT, publicUrl: v.API_PUBLIC_URL, bodyLimitBytes: v.HTTP_BODY_LIMIT_BYTES },
    ingest: { host: v.INGEST_HOST, port: v.INGEST_PORT, publicUrl: v.INGEST_PUBLIC_URL },
    database: { url: v.DATABASE_URL, poolSize: v.DATABASE_POOL_SIZE, skipMigrations: v.DB_SKIP_MIGRATIONS },
    log: { level: v.LOG_LEVEL },
    encryption: { keys: parseKeyring(v.ENCRYPTION_KEYS).keys, activeKeyId: v.ENCRYPTION_ACTIVE_KEY },
    graphql: {
      maxDepth: v.GRAPHQL_MAX_DEPTH,
      graphiqlEnabled: v.GRAPHIQL_ENABLED,
      maxCost: v.GRAPHQL_MAX_COST,
      maxAliases: v.GRAPHQL_MAX_ALIASES,
    },
    authFailures: {
      perAddress: v.AUTH_FAILURES_PER_ADDRESS,
      perProcess: v.AUTH_FAILURES_PER_PROCESS,
      windowMs: v.AUTH_FAILURE_WINDOW_SECONDS * 1000,
    },
    trustProxy: parseTrustProxy(v.TRUST_PROXY),
    temporal: { address: v.TEMPORAL_ADDRESS, namespace: v.TEMPORAL_NAMESPACE, uiUrl: v.TEMPORAL_UI_URL },
    stripe: {
      apiBaseUrl: v.STRIPE_API_BASE_URL,
      requestRate: {
        live: { perSecond: v.STRIPE_LIVE_REQUESTS_PER_SECOND, burst: v.STRIPE_REQUEST_BURST },
        test: { perSecond: v.STRIPE_TEST_REQUESTS_PER_SECOND, burst: v.STRIPE_REQUEST_BURST },
      },
    },
    hubspot: {
      apiBaseUrl: v.HUBSPOT_API_BASE_URL,
      requestRate: { perSecond: v.HUBSPOT_REQUESTS_PER_SECOND, burst: v.HUBSPOT_REQUEST_BURST },
    },
    shopify: {
      apiBaseUrl: v.SHOPIFY_API_BASE_URL ?? null,
      costRate: { perSecond: v.SHOPIFY_COST_POINTS_PER_SECOND, burst: v.SHOPIFY_COST_BUCKET_POINTS },
    },
    sources: { purgeGraceSeconds: v.SOURCE_PURGE_GRACE_SECONDS },
    ingestionLog: {
      retentionDays: v.INGESTION_LOG_RETENTION_DAYS,
      healthWindowMinutes: v.INGESTION_HEALTH_WINDOW_MINUTES,
      healthThresholdPercent: v.INGESTION_HEALTH_THRESHOLD_PERCENT,
    },
    quarantine: { retentionDays: v.QUARANTINE_RETENTION_DAYS },
    sync: {
      queueWaitMs: v.SYNC_QUEUE_WAIT_SECONDS * 1000,
      stallMs: v.SYNC_STALL_SECONDS * 1000,
      fullRefreshIntervalMs: v.SYNC_FULL_REFRESH_MINUTES * 60_000,
      firstSyncSlices: v.SYNC_FIRST_SYNC_SLICES,
    },
    worker: {
      sourceConcurrency: v.WORKER_SOURCE_CONCURRENCY,
      maxConcurrentActivities: v.WORKER_MAX_CONCURRENT_ACTIVITIES,
      reconcileIntervalMs: v.WORKER_RECONCILE_INTERVAL_SECONDS * 1000,
      maxCachedWorkflows: v.WORKER_MAX_CACHED_WORKFLOWS,
    },
  };
}

function checkTrustProxy(raw: string): string[] {
  const trust = parseTrustProxy(raw);
  const bad = Array.isArray(trust) ? trust.filter((entry) => !isAddressOrCidr(entry)) : [];
  return bad.length === 0
    ? []
    : [`TRUST_PROXY (${JSON.stringify(raw)}): ${bad.join(', ')} is not an IP address or CIDR (e.g. 10.0.0.0/8)`];
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  const maxBits = version === 6 ? 128 : 32;
  return version !== 0 && rest.length === 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits));
}

/** TRUST_PROXY as Fastify's trustProxy option: a boolean, a hop count or a list of proxy addresses. */
export function parseTrustProxy(raw: string): boolean | number | string[] {
  if (raw === 'true' || raw === 'false') {
    return raw === 'true';
  }
  return /^\d+$/.test(raw) ? Number(raw) : raw.split(',').map((s) => s.trim());
}

/**
 * The process environment, validated: the only way apps read configuration. `fallback` supplies a group of
 * variables the environment leaves unset (the CLI's local dev keyring, see apps/cli).
 */
export function loadConfigFromEnv(fallback?: EnvFallback): AppConfig {
  return loadConfig(applyEnvFallback(process.env, fallback));
}
