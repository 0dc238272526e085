import { SourceKind } from '@app/common';
import type { ConnectorSettings } from '@app/connectors';
import { ConcurrencyLeases, RequestBudgets, UpstreamBudget } from '@app/sync';
import type { DataSource } from 'typeorm';
import { SourceAccounts } from '../../libs/sync/src/budget/source-accounts.service';
import { DEFAULT_PORTAL_ID, DEFAULT_TOKEN, startHubSpotEmulator } from '../../emulators/hubspot/src';
import { type StripeEmulator, startStripeEmulator } from '../../emulators/stripe/src';
import { migrateFresh, queryTestDb, requiredEnv, testDataSource, truncateAll } from '../utils/database';

const RESTRICTED_KEY = 'rk_test_budgetreadonly1';
const RATE = { perSecond: 100, burst: 5 };

// The upstream budget on the real test Postgres: two data sources stand for two worker processes.
describe('request budgets in Postgres', () => {
  let processes: DataSource[];
  let emulator: StripeEmulator;

  beforeAll(async () => {
    const url = requiredEnv('TEST_DATABASE_URL');
    await migrateFresh(url);
    await truncateAll(url);
    processes = await Promise.all(['worker-a', 'worker-b'].map((name) => testDataSource(url, name).initialize()));
    emulator = await startStripeEmulator({ customers: 30, restrictedKeys: [RESTRICTED_KEY] });
  });
  afterAll(async () => {
    await Promise.all(processes.map((ds) => ds.destroy()));
    await emulator.close();
  });

  it('queues concurrent takers from two processes one interval apart, losing none', async () => {
    const [a, b] = processes.map((ds) => new RequestBudgets(ds));
    const rate = { perSecond: 0.1, burst: 3 }; // one request every 10 s: the test's own time does not blur it
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reserve('test:acct_q', rate)));
    waits.sort((x, y) => x - y);
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    for (let i = 3; i < waits.length; i++) {
      // Turn i starts (i - 2) intervals from the first take, less the time the takes themselves took.
      expect(waits[i]).toBeGreaterThan((i - 2) * 10_000 - 5_000);
      expect(waits[i]).toBeLessThanOrEqual((i - 2) * 10_000);
    }
    const [row] = await queryTestDb<{ ahead_s: string }>(
      "SELECT extract(epoch FROM full_at - now()) AS ahead_s FROM request_budgets WHERE account = 'test:acct_q'",
    );
    expect(Number(row.ahead_s)).toBeGreaterThan(40 * 10 - 5);
  });

  it('reserves several buckets in one statement, waiting for the fullest; each is shared across processes', async () => {
    const [a, b] = processes.map((ds) => new RequestBudgets(ds));
    const roomy = { perSecond: 100, burst: 100 };
    const slow = { perSecond: 0.1, burst: 1 }; // one every 10 s, as HubSpot's search limit is to its burst
    const both = [
      { account: 'test:portal', rate: roomy },
      { account: 'test:portal:search', rate: slow },
    ];
    const waits = await Promise.all(Array.from({ length: 4 }, (_, i) => (i % 2 ? a : b).reserveAll(both)));
    waits.sort((x, y) => x - y);
    expect(waits[0]).toBe(0);
    for (let i = 1; i < waits.length; i++) {
      expect(waits[i]).toBeGreaterThan(i * 10_000 - 5_000);
      expect(waits[i]).toBeLessThanOrEqual(i * 10_000);
    }
    // The slow bucket holds back only the requests that take from it.
    expect(await a.reserve('test:portal', roomy)).toBe(0);
    const rows = await queryTestDb<{ account: string }>(
      "SELECT account FROM request_budgets WHERE account LIKE 'test:portal%' ORDER BY account",
    );
    expect(rows.map((r) => r.account)).toEqual(['test:portal', 'test:portal:search']);
  });

  it('settles a cost from two processes at once: every refund counts, never above the bucket’s size', async () => {
    const [a, b] = processes.map((ds) => new RequestBudgets(ds));
    const points = { perSecond: 1, burst: 2000 }; // a point a second: the test's own time does not blur it
    const shop = [{ account: 'test:shop_refund', rate: points }];
    // 20 queries requesting 842 each: 2 go at once, the rest queue 842 s apart.
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserveAll(shop, 842)));
    const ahead = async (): Promise<number> => {
      const [row] = await queryTestDb<{ ahead_s: string }>(
        "SELECT extract(epoch FROM full_at - clock_timestamp()) AS ahead_s FROM request_budgets WHERE account = 'test:shop_refund'",
      );
      return Number(row.ahead_s);
    };
    expect(await ahead()).toBeCloseTo(20 * 842, -1);
    // Each was charged 277: 565 back each, concurrently from both processes; no refund is lost.
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).settle(shop, { refund: 565 })));
    expect(await ahead()).toBeCloseTo(20 * 277, -1);
    // The next query of 842 waits for 20·277 + 842 − 2000 points at a point a second.
    const wait = await a.reserveAll(shop, 842);
    expect(wait / 1000).toBeCloseTo(20 * 277 + 842 - 2000, -1);
    // Refunding far more than was taken fills the bucket and no more: 2000 points at once, not one more.
    await b.settle(shop, { refund: 1_000_000 });
    expect(await ahead()).toBeLessThanOrEqual(0);
    expect(await a.reserveAll(shop, 2000)).toBe(0);
    expect(await b.reserveAll(shop, 1)).toBeGreaterThan(500);
  });

  it('holds no more than the provider reports, and caps only the account’s own bucket', async () => {
    const [a, b] = processes.map((ds) => new RequestBudgets(ds));
    const points = { perSecond: 1, burst: 2000 };
    const buckets = [
      { account: 'test:shop_cap', rate: points },
      { account: 'test:shop_cap:daily', rate: points },
    ];
    expect(await a.reserveAll(buckets, 100)).toBe(0); // we think 1,900 are left in each
    await b.settle(buckets, { refund: 0, available: 300 }); // Shopify says 300: another app spent the rest
    expect((await a.reserveAll(buckets.slice(0, 1), 842)) / 1000).toBeCloseTo(542, -1);
    expect(await a.reserveAll(buckets.slice(1), 842)).toBe(0); // the further limit is not the provider's count
    // A report of more than we hold changes nothing: our queued reservations are not in Shopify's figure yet.
    await b.settle(buckets, { refund: 0, available: 2000 });
    // The bucket still owes 542 points after the 842 queued: a point more waits 543 s.
    expect((await a.reserveAll(buckets.slice(0, 1), 1)) / 1000).toBeCloseTo(543, -1);
  });

  it("a HubSpot source's requests take from its portal's burst and daily buckets", async () => {
    const hubspot = await startHubSpotEmulator({ port: 0 });
    try {
      const db = processes[0];
      const budget = new UpstreamBudget(new RequestBudgets(db), new SourceAccounts(db), new ConcurrencyLeases(db));
      const settings: ConnectorSettings = {
        stripe: { apiBaseUrl: emulator.url, requestRate: { live: RATE, test: RATE } },
        hubspot: { apiBaseUrl: hubspot.url, requestRate: RATE },
        shopify: { apiBaseUrl: 'http://127.0.0.1:1', costRate: { perSecond: 100, burst: 2000 } },
      };
      const [source] = await sources(1, 'Portal');
      const connector = await budget.connector(
        source,
        { kind: SourceKind.HUBSPOT, accessToken: DEFAULT_TOKEN },
        settings,
        () => Promise.resolve(),
      );
      await connector.readPage('contacts', null);
      const portal = `hubspot:${DEFAULT_PORTAL_ID}`;
      const rows = await queryTestDb<{ account: string }>(
        'SELECT account FROM request_budgets WHERE account LIKE $1 ORDER BY account',
        [`${portal}%`],
      );
      // No search was sent: the search bucket is untouched.
      expect(rows.map((r) => r.account)).toEqual([portal, `${portal}:daily`]);
    } finally {
      await hubspot.close();
    }
  });

  it('a 429 on one source holds back the other sources of its account, and only those', async () => {
    const settings: ConnectorSettings = {
      stripe: {
        apiBaseUrl: emulator.url,
        requestRate: { live: { perSecond: 100, burst: 5 }, test: { perSecond: 100, burst: 5 } },
      },
      hubspot: { apiBaseUrl: 'http://127.0.0.1:1', requestRate: RATE },
      shopify: { apiBaseUrl: 'http://127.0.0.1:1', costRate: { perSecond: 100, burst: 2000 } },
    };
    const db = processes[0];
    const budget = new UpstreamBudget(new RequestBudgets(db), new SourceAccounts(db), new ConcurrencyLeases(db));
    const { account } = emulator.state.accounts.createKey();
    const keys = [emulator.state.accounts.createKey(account).key, emulator.state.accounts.createKey(account).key];
    const otherKey = emulator.state.accounts.createKey().key;
    const [first, second, other] = await sources(3);
    const waits: Record<string, number[]> = { first: [], second: [], other: [] };
    const connect = (id: string, secretKey: string, label: string) =>
      budget.connector(id, { kind: SourceKind.STRIPE, secretKey }, settings, (ms) => {
        waits[label].push(ms);
        return Promise.resolve();
      });
    const connectors = {
      first: await connect(first, keys[0], 'first'),
      second: await connect(second, keys[1], 'second'),
      other: await connect(other, otherKey, 'other'),
    };
    expect(emulator.state.stats.snapshot().byRoute['GET /v1/account']).toEqual({ '200': 3 });
    waits.second.length = waits.other.length = 0;

    emulator.state.faults.add({ status: 429, count: 1, path: '/v1/customers' });
    await expect(connectors.first.readPage('customers', null)).rejects.toMatchObject({ kind: 'rate_limited' });
    await connectors.second.readPage('customers', null);
    await connectors.other.readPage('customers', null);
    // Stripe's 429 carries no Retry-After: the account pauses one second, for every source on it.
    expect(waits.second[0]).toBeGreaterThan(900);
    expect(waits.other).toEqual([0]);

    // Cached per source and credentials: no lookup again, until the credentials change.
    await connect(first, keys[0], 'first');
    expect(emulator.state.stats.snapshot().byRoute['GET /v1/account']).toEqual({ '200': 3 });
    await queryTestDb("UPDATE source_credentials SET sealed = 'resealed' WHERE source_id = $1", [first]);
    await connect(first, keys[0], 'first');
    expect(emulator.state.stats.snapshot().byRoute['GET /v1/account']).toEqual({ '200': 4 });
    const cached = await queryTestDb<{ account: string }>(
      'SELECT account FROM source_provider_accounts WHERE source_id = ANY($1) ORDER BY account',
      [[first, second]],
    );
    expect(cached.map((r) => r.account)).toEqual([`stripe:${account}:test`, `stripe:${account}:test`]);
  });

  it('names the account of a restricted key from the text of its 403 (only the acct_ id is kept)', async () => {
    const db = processes[0];
    const budget = new UpstreamBudget(new RequestBudgets(db), new SourceAccounts(db), new ConcurrencyLeases(db));
    const rate = { perSecond: 100, burst: 5 };
    const settings: ConnectorSettings = {
      stripe: { apiBaseUrl: emulator.url, requestRate: { live: rate, test: rate } },
      hubspot: { apiBaseUrl: 'http://127.0.0.1:1', requestRate: RATE },
      shopify: { apiBaseUrl: 'http://127.0.0.1:1', costRate: { perSecond: 100, burst: 2000 } },
    };
    const [restricted] = await sources(1, 'Restricted');
    const found = await budget.accountOf(
      restricted,
      { kind: SourceKind.STRIPE, secretKey: RESTRICTED_KEY },
      settings,
      () => Promise.resolve(),
    );
    expect(found).toEqual({ key: `stripe:${emulator.state.accounts.defaultAccount}:test`, rate });
  });
});

/** Stripe sources with (placeholder) sealed credentials: the budget reads only their digest. */
async function sources(count: number, name = 'Budget'): Promise<string[]> {
  const [workspace] = await queryTestDb<{ id: string }>('INSERT INTO workspaces (name) VALUES ($1) RETURNING id', [
    name,
  ]);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [source] = await queryTestDb<{ id: string }>(
      `INSERT INTO sources (workspace_id, name, kind, environment, rate_limit, identity_settings)
       VALUES ($1, $2, 'STRIPE', 'PRODUCTION', '{}', '{}') RETURNING id`,
      [workspace.id, `${name} ${i}`],
    );
    await queryTestDb("INSERT INTO source_credentials (source_id, sealed, key_id) VALUES ($1, $2, 'v1')", [
      source.id,
      `sealed-${i}`,
    ]);
    ids.push(source.id);
  }
  return ids;
}
