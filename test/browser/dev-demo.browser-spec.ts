// `npm run dev`'s demo: the demo source made through the real api's GraphQL (found again, not duplicated;
// the demo page's origin added to its allowedOrigins; its saved key reused, or replaced when lost), and
// the demo page itself in Chromium sending through ingest into Postgres.
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { bundleAnalyticsNext } from '../../scripts/lib/analytics-next-bundle';
import { findChromium } from '../../scripts/lib/chromium';
import { DEMO_SOURCE_NAME, ensureDemoSource } from '../../scripts/lib/dev-demo-source';
import { ANALYTICS_NEXT_DEMO_PATH, startDemoPage } from '../../scripts/lib/dev-demo-page';
import { buildBrowserSdk } from '../../scripts/lib/browser-sdk-build';
import { freePort } from '../../scripts/lib/free-port';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';

const CHROMIUM = findChromium(process.env);

describe('npm run dev: the demo source and the demo page', () => {
  let api: TestApi;
  let ingest: TestIngest;
  let browser: Browser | undefined;
  let server: Server | undefined;
  let token: string;
  let origin: string;
  let demoPort: number;
  const dir = mkdtempSync(join(tmpdir(), 'dev-demo-'));
  const keyFile = join(dir, 'dev-demo-write-key');
  const urls = () => ({ api: api.url, ingest: ingest.url });
  const settings = (key: string) => fetch(`${ingest.url}/v1/projects/${key}/settings`).then((r) => r.status);

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    const port = await freePort();
    ingest = await startTestIngest({ INGEST_PORT: String(port), INGEST_PUBLIC_URL: `http://127.0.0.1:${port}` });
    token = (await api.createWorkspace('Dev demo')).adminToken;
    demoPort = await freePort();
    origin = `http://127.0.0.1:${demoPort}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    await ingest?.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes the demo source once, allows the demo origin, and keeps a working key', async () => {
    const first = await ensureDemoSource(urls(), token, origin, keyFile);
    expect(first.allowedOrigins).toEqual([origin]);
    expect(await settings(first.writeKey)).toBe(200);

    const again = await ensureDemoSource(urls(), token, origin, keyFile);
    expect(again).toEqual(first);
    const elsewhere = await ensureDemoSource(urls(), token, 'http://127.0.0.1:4999', keyFile);
    expect(elsewhere.allowedOrigins).toEqual([origin, 'http://127.0.0.1:4999']);

    // A lost key file: the key is replaced at once, the unknown old one stops working.
    rmSync(keyFile);
    const replaced = await ensureDemoSource(urls(), token, origin, keyFile);
    expect(replaced.id).toBe(first.id);
    expect(replaced.writeKey).not.toBe(first.writeKey);
    expect([await settings(replaced.writeKey), await settings(first.writeKey)]).toEqual([200, 401]);

    const named = await queryTestDb<{ n: number }>('SELECT count(*)::int AS n FROM sources WHERE name = $1', [
      DEMO_SOURCE_NAME,
    ]);
    expect(named[0].n).toBe(1);
  });

  it('the analytics-next demo page sends a page call on load and a track per click, stored in Postgres', async () => {
    if (!CHROMIUM.found) {
      throw new Error(`${CHROMIUM.problem}: the browser tier needs Debian's chromium (apt-get install chromium)`);
    }
    const demo = await ensureDemoSource(urls(), token, origin, keyFile);
    server = await startDemoPage('127.0.0.1', demoPort, {
      assets: await bundleAnalyticsNext(),
      ingestUrl: ingest.url,
      writeKey: demo.writeKey,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM.path,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const page = await browser.newPage();
    await page.goto(`${origin}${ANALYTICS_NEXT_DEMO_PATH}`);
    const logged = (text: string) => page.locator('#log', { hasText: text }).waitFor({ timeout: 10_000 });
    await logged('page: stored');
    await page.click('#track');
    await logged('track: stored');
    const rows = await queryTestDb<{ type: string; event: string | null }>(
      'SELECT type, event FROM events WHERE source_id = $1 ORDER BY id',
      [demo.id],
    );
    expect(rows).toEqual([
      { type: 'page', event: null },
      { type: 'track', event: 'Demo Clicked' },
    ]);
  }, 60_000);

  it("the quickstart page pastes Tributary's snippet: page view, clicks, form without the password", async () => {
    await buildBrowserSdk({ declarations: false }); // what startDemo does before serving
    const demo = await ensureDemoSource(urls(), token, origin, keyFile);
    const page = await browser!.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (globalThis as any).tributary?.installed === true);
    await page.click('#track');
    await page.click('#ignored');
    await page.click('#navigate');
    await page.click('#submit');
    await page.evaluate(() => (globalThis as any).tributary.flush());
    const rows = async () =>
      queryTestDb<{ type: string; event: string | null; payload: any }>(
        `SELECT type, event, payload FROM events WHERE source_id = $1 AND payload->'context'->'library'->>'name' = '@tributary/browser'`,
        [demo.id],
      );
    const deadline = Date.now() + 15_000;
    while ((await rows()).length < 7 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 200));
    }
    const events = await rows();
    expect(events.map((e) => e.event ?? e.type).sort()).toEqual(
      [
        'Demo Clicked',
        'Element Clicked',
        'Element Clicked',
        'Element Clicked',
        'Form Submitted',
        'page',
        'page',
        'session_start',
      ].sort(),
    );
    const form = events.find((e) => e.event === 'Form Submitted')!;
    expect(form.payload.properties.fields).toEqual({ email: 'ada@example.com' });
    expect(JSON.stringify(events)).not.toContain('never sent');
  }, 60_000);
});
