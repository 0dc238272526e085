// `npm run emulator:shopify`: the Shopify emulator on 127.0.0.1:4244 until Ctrl-C or SIGTERM.
// Environment: SHOPIFY_EMULATOR_PORT (4244), SHOPIFY_EMULATOR_HOST (127.0.0.1), SHOPIFY_EMULATOR_SEED (1),
// SHOPIFY_EMULATOR_CUSTOMERS / _ORDERS / _PRODUCTS (300 / 400 / 120), SHOPIFY_EMULATOR_TOKENS (comma-separated
// tokens granted every scope; the default token), SHOPIFY_EMULATOR_THROTTLE (on: 2000 points, 100 per second; off),
// SHOPIFY_EMULATOR_SEARCH_LAG_MS (0), SHOPIFY_EMULATOR_LATENCY_MS (0), SHOPIFY_EMULATOR_APP_SECRET (the secret
// signing webhooks).
import {
  ALL_SCOPES,
  DEFAULT_COUNTS,
  DEFAULT_SEED,
  DEFAULT_TOKEN,
  type ShopifyEmulator,
  startShopifyEmulator,
} from './index';

function main(): void {
  const tokens = listFromEnv('SHOPIFY_EMULATOR_TOKENS') ?? [DEFAULT_TOKEN];
  const throttle = process.env.SHOPIFY_EMULATOR_THROTTLE ?? 'on';
  if (throttle !== 'on' && throttle !== 'off') {
    fail(`SHOPIFY_EMULATOR_THROTTLE must be on or off, got '${throttle}'`);
  }
  const options = {
    port: integerFromEnv('SHOPIFY_EMULATOR_PORT', 4244, 0, 65_535),
    host: process.env.SHOPIFY_EMULATOR_HOST || '127.0.0.1',
    seed: integerFromEnv('SHOPIFY_EMULATOR_SEED', DEFAULT_SEED, 0, Number.MAX_SAFE_INTEGER),
    customers: integerFromEnv('SHOPIFY_EMULATOR_CUSTOMERS', DEFAULT_COUNTS.customers, 0, 1_000_000),
    orders: integerFromEnv('SHOPIFY_EMULATOR_ORDERS', DEFAULT_COUNTS.orders, 0, 1_000_000),
    products: integerFromEnv('SHOPIFY_EMULATOR_PRODUCTS', DEFAULT_COUNTS.products, 0, 1_000_000),
    tokens: Object.fromEntries(tokens.map((token) => [token, ALL_SCOPES])),
    limits: throttle === 'off' ? (false as const) : undefined,
    searchLagMs: integerFromEnv('SHOPIFY_EMULATOR_SEARCH_LAG_MS', 0, 0, 3_600_000),
    latencyMs: integerFromEnv('SHOPIFY_EMULATOR_LATENCY_MS', 0, 0, 60_000),
    webhooks: process.env.SHOPIFY_EMULATOR_APP_SECRET ? { secret: process.env.SHOPIFY_EMULATOR_APP_SECRET } : {},
  };
  startShopifyEmulator(options).then(
    (emulator) => {
      const counts = Object.entries(emulator.state.store.counts())
        .map(([resource, n]) => `${n} ${resource}`)
        .join(', ');
      process.stdout.write(
        `shopify emulator on ${emulator.url} (${counts}, seed ${options.seed}, throttling ${throttle}); try:\n` +
          `  curl -s ${emulator.url}/admin/api/2026-01/graphql.json -H 'X-Shopify-Access-Token: ${tokens[0]}' ` +
          `-H 'content-type: application/json' -d '{"query":"{ customers(first: 3) { nodes { id email updatedAt } } }"}'\n`,
      );
      stopOnSignals(emulator);
    },
    (error: unknown) => fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`),
  );
}

function listFromEnv(name: string): string[] | undefined {
  const items = (process.env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

function integerFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** Stops on signals, and when our parent dies (`npm run` may not pass SIGTERM on; see the Stripe emulator). */
function stopOnSignals(emulator: ShopifyEmulator): void {
  const parent = process.ppid;
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(`shopify emulator stopping (${reason})\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((signal) => process.on(signal, () => stop(signal)));
  setInterval(() => process.ppid !== parent && stop('parent process exited'), 500).unref();
}

function fail(message: string): never {
  process.stderr.write(`shopify emulator: ${message}\n`);
  process.exit(2);
}

main();
