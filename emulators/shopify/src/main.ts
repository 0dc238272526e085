// `npm run emulator:shopify`: the Shopify emulator on 127.0.0.1:4244 until Ctrl-C or SIGTERM.
// Environment: SHOPIFY_EMULATOR_PORT (4244), SHOPIFY_EMULATOR_HOST (127.0.0.1), SHOPIFY_EMULATOR_SEED (1),
// SHOPIFY_EMULATOR_CUSTOMERS / _ORDERS / _PRODUCTS (300 / 400 / 120), SHOPIFY_EMULATOR_TOKENS (comma-separated
// tokens granted every scope; the default token), SHOPIFY_EMULATOR_THROTTLE (on: 2000 points, 100 per second; off),
// SHOPIFY_EMULATOR_SEARCH_LAG_MS (0), SHOPIFY_EMULATOR_LATENCY_MS (0), SHOPIFY_EMULATOR_APP_SECRET (the secret
// signing webhooks).
import { ALL_SCOPES, DEFAULT_COUNTS, DEFAULT_SEED, DEFAULT_TOKEN, startShopifyEmulator } from './index';
import { emulatorCli } from '../../shared/cli';

const cli = emulatorCli('shopify');

function main(): void {
  const tokens = cli.list('SHOPIFY_EMULATOR_TOKENS') ?? [DEFAULT_TOKEN];
  const throttle = cli.onOff('SHOPIFY_EMULATOR_THROTTLE', 'on');
  const options = {
    port: cli.integer('SHOPIFY_EMULATOR_PORT', 4244, 0, 65_535),
    host: process.env.SHOPIFY_EMULATOR_HOST || '127.0.0.1',
    seed: cli.integer('SHOPIFY_EMULATOR_SEED', DEFAULT_SEED, 0, Number.MAX_SAFE_INTEGER),
    customers: cli.integer('SHOPIFY_EMULATOR_CUSTOMERS', DEFAULT_COUNTS.customers, 0, 1_000_000),
    orders: cli.integer('SHOPIFY_EMULATOR_ORDERS', DEFAULT_COUNTS.orders, 0, 1_000_000),
    products: cli.integer('SHOPIFY_EMULATOR_PRODUCTS', DEFAULT_COUNTS.products, 0, 1_000_000),
    tokens: Object.fromEntries(tokens.map((token) => [token, ALL_SCOPES])),
    limits: throttle === 'off' ? (false as const) : undefined,
    searchLagMs: cli.integer('SHOPIFY_EMULATOR_SEARCH_LAG_MS', 0, 0, 3_600_000),
    latencyMs: cli.integer('SHOPIFY_EMULATOR_LATENCY_MS', 0, 0, 60_000),
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
      cli.stopOnSignals(emulator);
    },
    (error: unknown) => cli.fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`),
  );
}

main();
