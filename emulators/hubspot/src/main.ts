// `npm run emulator:hubspot`: the HubSpot emulator on 127.0.0.1:4243 until Ctrl-C or SIGTERM.
// Environment: HUBSPOT_EMULATOR_PORT (4243), HUBSPOT_EMULATOR_HOST (127.0.0.1), HUBSPOT_EMULATOR_SEED (1),
// HUBSPOT_EMULATOR_CONTACTS / _COMPANIES / _DEALS (300 / 100 / 150), HUBSPOT_EMULATOR_TOKENS (comma-separated
// tokens granted every scope; the default token), HUBSPOT_EMULATOR_THROTTLE (on: a Professional private app's
// limits; off), HUBSPOT_EMULATOR_SEARCH_LAG_MS (0), HUBSPOT_EMULATOR_LATENCY_MS (0),
// HUBSPOT_EMULATOR_WEBHOOK_URL (unset: no webhooks), HUBSPOT_EMULATOR_CLIENT_SECRET (the app secret signing them).
import { ALL_SCOPES, DEFAULT_COUNTS, DEFAULT_SEED, DEFAULT_TOKEN, startHubSpotEmulator } from './index';
import { emulatorCli } from '../../shared/cli';

const cli = emulatorCli('hubspot');

function main(): void {
  const tokens = cli.list('HUBSPOT_EMULATOR_TOKENS') ?? [DEFAULT_TOKEN];
  const throttle = cli.onOff('HUBSPOT_EMULATOR_THROTTLE', 'on');
  const options = {
    port: cli.integer('HUBSPOT_EMULATOR_PORT', 4243, 0, 65_535),
    host: process.env.HUBSPOT_EMULATOR_HOST || '127.0.0.1',
    seed: cli.integer('HUBSPOT_EMULATOR_SEED', DEFAULT_SEED, 0, Number.MAX_SAFE_INTEGER),
    contacts: cli.integer('HUBSPOT_EMULATOR_CONTACTS', DEFAULT_COUNTS.contacts, 0, 1_000_000),
    companies: cli.integer('HUBSPOT_EMULATOR_COMPANIES', DEFAULT_COUNTS.companies, 0, 1_000_000),
    deals: cli.integer('HUBSPOT_EMULATOR_DEALS', DEFAULT_COUNTS.deals, 0, 1_000_000),
    tokens: Object.fromEntries(tokens.map((token) => [token, ALL_SCOPES])),
    limits: throttle === 'off' ? (false as const) : undefined,
    searchLagMs: cli.integer('HUBSPOT_EMULATOR_SEARCH_LAG_MS', 0, 0, 3_600_000),
    latencyMs: cli.integer('HUBSPOT_EMULATOR_LATENCY_MS', 0, 0, 60_000),
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
      cli.stopOnSignals(emulator);
    },
    (error: unknown) => cli.fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`),
  );
}

main();
