// The real @segment/analytics-next, bundled as a site would bundle it, in Debian's Chromium: configured
// with only `cdnURL` pointing at ingest, it fetches its settings there, then sends identify, track and page
// to ingest, and the events land in Postgres. A page origin the source does not allow gets nowhere.
import { WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind } from '@app/common';
import { SourcesService, WriteKeysService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/lib/chromium';
import { freePort } from '../../scripts/lib/free-port';
import { startCoreApp } from '../utils/core-app';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';
import { BUNDLE_FILE, bundleAnalyticsNext } from '../../scripts/lib/analytics-next-bundle';

const CHROMIUM = findChromium(process.env);
const PAGE = `<!doctype html><html><head><title>Shop</title><script src="/assets/${BUNDLE_FILE}"></script></head>
<body><h1>Shop</h1></body></html>`;

/** A static site on its own port (its own origin): the page, and the bundle under /assets/. */
async function startSite(assets: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    if (path.startsWith('/assets/')) {
      try {
        const body = readFileSync(join(assets, basename(path)));
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

/** Loads analytics-next with only a write key and `cdnURL`, makes three calls, and says how each went. */
async function sendFromPage(page: Page, writeKey: string, cdnURL: string, waitMs = 8_000): Promise<string[]> {
  return page.evaluate(
    async ([key, cdn, wait]) => {
      const analytics = (globalThis as any).AnalyticsBrowser.load({ writeKey: key, cdnURL: cdn });
      const outcome = async (call: Promise<any>): Promise<string> => {
        const timeout = new Promise<string>((done) => setTimeout(() => done('timed out'), wait));
        const sent = call.then(
          (ctx) => (ctx.failedDelivery() ? `failed: ${String(ctx.failedDelivery().reason)}` : 'delivered'),
          (error: unknown) => `refused: ${String(error)}`,
        );
        return Promise.race([sent, timeout]);
      };
      return [
        await outcome(analytics.identify('user-42', { plan: 'pro', email: 'ada@example.com' })),
        await outcome(analytics.track('Signed Up', { via: 'browser' })),
        await outcome(analytics.page('Docs', 'Quickstart')),
      ];
    },
    [writeKey, cdnURL, waitMs] as const,
  );
}

describe('analytics-next in a real browser, pointed at ingest by cdnURL only', () => {
  let core: INestApplicationContext;
  let ingest: TestIngest;
  let browser: Browser;
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };
  let source: { id: string; key: string };
  const requested: string[] = [];

  beforeAll(async () => {
    if (!CHROMIUM.found) {
      throw new Error(`${CHROMIUM.problem}: the browser tier needs Debian's chromium (apt-get install chromium)`);
    }
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    const assets = await bundleAnalyticsNext();
    [allowed, other] = await Promise.all([startSite(assets), startSite(assets)]);
    // INGEST_PUBLIC_URL must be the address the browser reaches ingest at: the settings carry its host.
    const port = await freePort();
    ingest = await startTestIngest({
      INGEST_PORT: String(port),
      INGEST_PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'info',
    });
    core = await startCoreApp();
    const workspaceId = (await core.get(WorkspacesService).create(`Browser ${randomUUID()}`)).workspace.id;
    const created = await core.get(SourcesService).create(workspaceId, {
      name: 'shop web',
      kind: SourceKind.JAVASCRIPT,
      environment: SourceEnvironment.PRODUCTION,
      trackingConfig: { allowedOrigins: [allowed.origin] },
    });
    source = { id: created.id, key: (await core.get(WriteKeysService).issue(workspaceId, created.id)).secret };
    browser = await chromium.launch({
      executablePath: CHROMIUM.path,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([allowed, other].map((site) => site && new Promise((done) => site.server.close(done))));
    await ingest?.close();
    await core?.close();
  });

  async function openPage(origin: string): Promise<Page> {
    const context = await browser.newContext();
    context.on('request', (req) => requested.push(req.url()));
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  const events = () =>
    queryTestDb<{
      type: string;
      event: string | null;
      user_id: string | null;
      anonymous_id: string | null;
      payload: any;
    }>('SELECT type, event, user_id, anonymous_id, payload FROM events WHERE source_id = $1 ORDER BY id', [source.id]);

  it('fetches its settings from ingest and lands identify, track and page in Postgres', async () => {
    const page = await openPage(allowed.origin);
    await expect(sendFromPage(page, source.key, ingest.url)).resolves.toEqual(['delivered', 'delivered', 'delivered']);

    const rows = await events();
    expect(rows.map((r) => [r.type, r.event, r.user_id])).toEqual([
      ['identify', null, 'user-42'],
      ['track', 'Signed Up', 'user-42'],
      ['page', null, 'user-42'],
    ]);
    // One browser identity across the calls, and the browser's own context as analytics-next sends it.
    expect(new Set(rows.map((r) => r.anonymous_id)).size).toBe(1);
    expect(rows[0].anonymous_id).toEqual(expect.any(String));
    expect(rows[0].payload.traits).toMatchObject({ plan: 'pro', email: 'ada@example.com' });
    expect(rows[1].payload.properties).toMatchObject({ via: 'browser' });
    expect(rows[2].payload).toMatchObject({ name: 'Quickstart', category: 'Docs' });
    expect(rows[2].payload.context.page.url).toBe(`${allowed.origin}/`);
    expect(rows[1].payload.context.library.name).toBe('analytics.js');

    // Everything went to the page's site and ingest: nothing to Segment or any other host.
    const hosts = new Set(requested.map((url) => new URL(url).origin));
    expect([...hosts].sort()).toEqual([allowed.origin, ingest.url].sort());
    expect(requested).toContain(`${ingest.url}/v1/projects/${source.key}/settings`);
    expect(requested).toEqual(
      expect.arrayContaining([`${ingest.url}/v1/t`, `${ingest.url}/v1/i`, `${ingest.url}/v1/p`]),
    );
    // The key was in a URL, yet no log line carries it.
    expect(ingest.logs.filter((line) => line.includes(source.key))).toEqual([]);
    expect(ingest.logs.join('\n')).toContain('/v1/projects/[redacted]/settings');
  });

  it('from an origin the source does not allow: the settings are refused, so nothing is sent', async () => {
    const before = (await events()).length;
    const page = await openPage(other.origin);
    const settings = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, body: await res.text() };
    }, `${ingest.url}/v1/projects/${source.key}/settings`);
    expect(settings.status).toBe(403);
    expect(JSON.parse(settings.body).error).toContain(`Origin ${other.origin} may not send events to this source`);

    const outcomes = await sendFromPage(page, source.key, ingest.url, 2_000); // a refused load never sends
    expect(outcomes.every((o) => o !== 'delivered')).toBe(true);
    expect(await events()).toHaveLength(before);
  });
});
