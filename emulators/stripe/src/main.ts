// `npm run emulator:stripe`: the Stripe emulator on 127.0.0.1:4242 until Ctrl-C or SIGTERM.
// Environment: STRIPE_EMULATOR_PORT (4242), STRIPE_EMULATOR_HOST (127.0.0.1), STRIPE_EMULATOR_CUSTOMERS (250),
// STRIPE_EMULATOR_SEED (1), STRIPE_EMULATOR_KEYS (comma-separated keys that pass; sk_test_tributary),
// STRIPE_EMULATOR_RESTRICTED_KEYS (comma-separated keys that get 403),
// STRIPE_EMULATOR_LATENCY_MS (0: milliseconds every API response waits first), STRIPE_EMULATOR_RATE_LIMIT (0: off;
// Stripe's per-account requests per second, 25 in test mode), STRIPE_EMULATOR_SUBSCRIPTIONS,
// STRIPE_EMULATOR_INVOICES, STRIPE_EMULATOR_CHARGES (derived from the customers when unset; see counts.ts).
import { DEFAULT_CUSTOMERS, DEFAULT_KEYS, DEFAULT_SEED, startStripeEmulator } from './index';
import { emulatorCli } from '../../shared/cli';

const cli = emulatorCli('stripe');

function main(): void {
  const options = {
    port: cli.integer('STRIPE_EMULATOR_PORT', 4242, 0, 65_535),
    host: process.env.STRIPE_EMULATOR_HOST || '127.0.0.1',
    customers: cli.integer('STRIPE_EMULATOR_CUSTOMERS', DEFAULT_CUSTOMERS, 0, 100_000),
    subscriptions: optionalCount('STRIPE_EMULATOR_SUBSCRIPTIONS'),
    invoices: optionalCount('STRIPE_EMULATOR_INVOICES'),
    charges: optionalCount('STRIPE_EMULATOR_CHARGES'),
    seed: cli.integer('STRIPE_EMULATOR_SEED', DEFAULT_SEED, 0, Number.MAX_SAFE_INTEGER),
    latencyMs: cli.integer('STRIPE_EMULATOR_LATENCY_MS', 0, 0, 60_000),
    rateLimitPerSecond: cli.integer('STRIPE_EMULATOR_RATE_LIMIT', 0, 0, 10_000),
    keys: cli.list('STRIPE_EMULATOR_KEYS') ?? DEFAULT_KEYS,
    restrictedKeys: cli.list('STRIPE_EMULATOR_RESTRICTED_KEYS') ?? [],
  };
  startStripeEmulator(options).then(
    (emulator) => {
      process.stdout.write(
        `stripe emulator on ${emulator.url} (${Object.entries(emulator.state.counts)
          .map(([kind, count]) => `${count} ${kind}`)
          .join(', ')}, seed ${options.seed}); ` +
          `keys: ${options.keys.join(', ')}; try: curl -u ${options.keys[0]}: '${emulator.url}/v1/customers?limit=3'\n`,
      );
      cli.stopOnSignals(emulator);
    },
    (error: unknown) => cli.fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/** A comma-separated list, or undefined when unset or empty. */
/** A count left to the emulator's derivation when unset. */
function optionalCount(name: string): number | undefined {
  return process.env[name] ? cli.integer(name, 0, 0, 100_000) : undefined;
}

main();
