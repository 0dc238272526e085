// `npm run emulator:stripe`: the Stripe emulator on 127.0.0.1:4242 until Ctrl-C or SIGTERM.
// Environment: STRIPE_EMULATOR_PORT (4242), STRIPE_EMULATOR_HOST (127.0.0.1), STRIPE_EMULATOR_CUSTOMERS (250),
// STRIPE_EMULATOR_SEED (1), STRIPE_EMULATOR_KEYS (comma-separated keys that pass; sk_test_tributary),
// STRIPE_EMULATOR_RESTRICTED_KEYS (comma-separated keys that get 403),
// STRIPE_EMULATOR_LATENCY_MS (0: milliseconds every API response waits first), STRIPE_EMULATOR_RATE_LIMIT (0: off;
// Stripe's per-account requests per second, 25 in test mode), STRIPE_EMULATOR_SUBSCRIPTIONS,
// STRIPE_EMULATOR_INVOICES, STRIPE_EMULATOR_CHARGES (derived from the customers when unset; see counts.ts).
import { DEFAULT_CUSTOMERS, DEFAULT_KEYS, DEFAULT_SEED, startStripeEmulator, type StripeEmulator } from './index';

function main(): void {
  const options = {
    port: integerFromEnv('STRIPE_EMULATOR_PORT', 4242, 0, 65_535),
    host: process.env.STRIPE_EMULATOR_HOST || '127.0.0.1',
    customers: integerFromEnv('STRIPE_EMULATOR_CUSTOMERS', DEFAULT_CUSTOMERS, 0, 100_000),
    subscriptions: optionalCountFromEnv('STRIPE_EMULATOR_SUBSCRIPTIONS'),
    invoices: optionalCountFromEnv('STRIPE_EMULATOR_INVOICES'),
    charges: optionalCountFromEnv('STRIPE_EMULATOR_CHARGES'),
    seed: integerFromEnv('STRIPE_EMULATOR_SEED', DEFAULT_SEED, 0, Number.MAX_SAFE_INTEGER),
    latencyMs: integerFromEnv('STRIPE_EMULATOR_LATENCY_MS', 0, 0, 60_000),
    rateLimitPerSecond: integerFromEnv('STRIPE_EMULATOR_RATE_LIMIT', 0, 0, 10_000),
    keys: listFromEnv('STRIPE_EMULATOR_KEYS') ?? DEFAULT_KEYS,
    restrictedKeys: listFromEnv('STRIPE_EMULATOR_RESTRICTED_KEYS') ?? [],
  };
  startStripeEmulator(options).then(
    (emulator) => {
      process.stdout.write(
        `stripe emulator on ${emulator.url} (${Object.entries(emulator.state.counts)
          .map(([kind, count]) => `${count} ${kind}`)
          .join(', ')}, seed ${options.seed}); ` +
          `keys: ${options.keys.join(', ')}; try: curl -u ${options.keys[0]}: '${emulator.url}/v1/customers?limit=3'\n`,
      );
      stopOnSignals(emulator);
    },
    (error: unknown) => fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/** A comma-separated list, or undefined when unset or empty. */
function listFromEnv(name: string): string[] | undefined {
  const keys = (process.env[name] ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  return keys.length > 0 ? keys : undefined;
}

/** An integer variable within [min, max]; a bad value stops us with its name rather than a guess. */
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

/** A count left to the emulator's derivation when unset. */
function optionalCountFromEnv(name: string): number | undefined {
  return process.env[name] ? integerFromEnv(name, 0, 0, 100_000) : undefined;
}

/**
 * Stops on SIGINT/SIGTERM/SIGHUP, and when our parent dies: `npm run` starts us under `sh -c`, which
 * may die on SIGTERM without passing it on (scripts/lib/stop-signals.ts has the same guard).
 */
function stopOnSignals(emulator: StripeEmulator): void {
  const parent = process.ppid;
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(`stripe emulator stopping (${reason})\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((signal) => process.on(signal, () => stop(signal)));
  setInterval(() => process.ppid !== parent && stop('parent process exited'), 500).unref();
}

function fail(message: string): never {
  process.stderr.write(`stripe emulator: ${message}\n`);
  process.exit(2);
}

main();
