// `npm run emulator:hubspot`: the HubSpot emulator on 127.0.0.1:4243 until Ctrl-C or SIGTERM.
// Environment: HUBSPOT_EMULATOR_PORT (4243), HUBSPOT_EMULATOR_HOST (127.0.0.1), HUBSPOT_EMULATOR_SEED (1),
// HUBSPOT_EMULATOR_CONTACTS / _COMPANIES / _DEALS (300 / 100 / 150), HUBSPOT_EMULATOR_TOKENS (comma-separated
// tokens granted every scope; the default token), HUBSPOT_EMULATOR_THROTTLE (on: a Professional private app's
// limits; off), HUBSPOT_EMULATOR_SEARCH_LAG_MS (0), HUBSPOT_EMULATOR_LATENCY_MS (0),
// HUBSPOT_EMULATOR_WEBHOOK_URL (unset: no webhooks), HUBSPOT_EMULATOR_CLIENT_SECRET (the app secret signing them).
import {
  ALL_SCOPES,
  DEFAULT_COUNTS,
  DEFAULT_SEED,
  DEFAULT_TOKEN,
  type HubSpotEmulator,
  startHubSpotEmulator,
} from './index';

function main(): void {
  const tokens = listFromEnv('HUBSPOT_EMULATOR_TOKENS') ?? [DEFAULT_TOKEN];
  const throttle = process.env.HUBSPOT_EMULATOR_THROTTLE ?? 'on';
  if (throttle !== 'on' && throttle !== 'off') {
    fail(`HUBSPOT_EMULATOR_THROTTLE must be on or off, got '${throttle}'`);
  }
  const options = {
    port: integerFromEnv('HUBSPOT_EMULATOR_PORT', 4243, 0, 65_535),
    host: process.env.HUBSPOT_EMULATOR_HOST || '127.0.0.1',
    seed: integerFromEnv('HUBSPOT_EMULATOR_SEED', DEFAULT_SEED, 0, Number.MAX_SAFE_INTEGER),
    contacts: integerFromEnv('HUBSPOT_EMULATOR_CONTACTS', DEFAULT_COUNTS.contacts, 0, 1_000_000),
    companies: integerFromEnv('HUBSPOT_EMULATOR_COMPANIES', DEFAULT_COUNTS.companies, 0, 1_000_000),
    deals: integerFromEnv('HUBSPOT_EMULATOR_DEALS', DEFAULT_COUNTS.deals, 0, 1_000_000),
    tokens: Object.fromEntries(tokens.map((token) => [token, ALL_SCOPES])),
    limits: throttle === 'off' ? (false as const) : undefined,
    searchLagMs: integerFromEnv('HUBSPOT_EMULATOR_SEARCH_LAG_MS', 0, 0, 3_600_000),
    latencyMs: integerFromEnv('HUBSPOT_EMULATOR_LATENCY_MS', 0, 0, 60_000),
    webhooks: {
      targetUrl: process.env.HUBSPOT_EMULATOR_WEBHOOK_URL || undefined,
      ...(process.env.HUBSPOT_EMULATOR_CLIENT_SECRET
        ? { clientSecret: process.env.HUBSPOT_EMULATOR_CLIENT_SECRET }
        : {}),
    },
  };
  startHubSpotEmulator(options).then(
    (emulator) => {
      const counts = Object.entries(emulator.state.counts())
        .map(([type, { live, archived }]) => `${live} ${type} (+${archived} archived)`)
        .join(', ');
      process.stdout.write(
        `hubspot emulator on ${emulator.url} (${counts}, seed ${options.seed}, throttling ${throttle}); ` +
          `try: curl -H 'Authorization: Bearer ${tokens[0]}' '${emulator.url}/crm/v3/objects/contacts?limit=3'\n`,
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
function stopOnSignals(emulator: HubSpotEmulator): void {
  const parent = process.ppid;
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(`hubspot emulator stopping (${reason})\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((signal) => process.on(signal, () => stop(signal)));
  setInterval(() => process.ppid !== parent && stop('parent process exited'), 500).unref();
}

function fail(message: string): never {
  process.stderr.write(`hubspot emulator: ${message}\n`);
  process.exit(2);
}

main();
