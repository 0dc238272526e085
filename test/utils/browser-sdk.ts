// The browser SDK's test stack: the real api (GraphQL, to create sources and change their settings), the
// real ingest serving the freshly built SDK, Debian's Chromium, and a static site on its own origin whose
// pages paste the snippet. Events are read back from Postgres.
import { createServer, type Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { snippet } from '../../packages/browser/src/snippet';
import type { LoadOptions } from '../../packages/browser/src/types';
import { buildBrowserSdk } from '../../scripts/lib/browser-sdk-build';
import { findChromium } from '../../scripts/lib/chromium';
import { freePort } from '../../scripts/lib/free-port';
import { startTestApi, type TestApi } from './api';
import { migrateFresh, queryTestDb, requiredEnv } from './database';
import { gql } from './gql';
import { startTestIngest, type TestIngest } from './ingest';

const CHROMIUM = findChromium(process.env);
/** Chromium resolves it to 127.0.0.1 (a launch flag): a registrable-looking name for cookie domains. */
export const SITE_HOST = 'www.shop.test';

/** A page of the test site: its <head> (the snippet, page scripts) and <body>. */
export interface SitePage {
  head?: string;
  body?: string;
}

export interface StoredEvent {
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  payload: any;
}

export interface SdkStack {
  api: TestApi;
  ingest: TestIngest;
  browser: Browser;
  /** The site at 127.0.0.1, and at SITE_HOST (same server). */
  site: { origin: string; named: string; pages: Map<string, SitePage> };
  token: string;
  /** Creates a JAVASCRIPT source allowing the site's origin, with a write key. */
  createSource(settings?: { autocapture?: Record<string, boolean> }): Promise<{ id: string; key: string }>;
  /** Changes a source's settings through GraphQL (waits out ingest's write-key cache). */
  updateSource(id: string, input: Record<string, unknown>): Promise<void>;
  /** The snippet for a source, as the README tells users to paste it. */
  snippet(key: string, options?: LoadOptions): string;
  /** A fresh browser profile (own cookies and storage). */
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startSdkStack(): Promise<SdkStack> {
  if (!CHROMIUM.found) {
    throw new Error(`${CHROMIUM.problem}: the browser tier needs Debian's chromium (apt-get install chromium)`);
  }
  await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
  await buildBrowserSdk({ declarations: false });
  const pages = new Map<string, SitePage>();
  const server = await startSite(pages);
  const port = await freePort();
  const ingest = await startTestIngest({ INGEST_PORT: String(port), INGEST_PUBLIC_URL: `http://127.0.0.1:${port}` });
  const api = await startTestApi();
  const { adminToken: token } = await api.createWorkspace(`SDK ${Date.now()}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM.path,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
      // A named host for the site too (cookie domains do not apply to IP addresses).
      `--host-resolver-rules=MAP ${SITE_HOST} 127.0.0.1`,
    ],
  });
  const call = async (query: string, variables: Record<string, unknown>): Promise<any> => {
    const res = await gql(api.url, query, variables, token);
    if (res.errors?.length || !res.data) {
      throw new Error(`GraphQL: ${JSON.stringify(res.errors)}`);
    }
    return res.data;
  };
  return {
    api,
    ingest,
    browser,
    site: { origin: server.origin, named: server.named, pages },
    token,
    async createSource(settings = {}) {
      const created = await call(`mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`, {
        input: {
          name: `web ${pages.size}-${Date.now()}`,
          kind: 'JAVASCRIPT',
          environment: 'PRODUCTION',
          trackingConfig: { allowedOrigins: [server.origin, server.named], ...settings },
        },
      });
      const id: string = created.createSource.id;
      const issued = await call(`mutation($id: ID!) { issueWriteKey(sourceId: $id) { secret } }`, { id });
      return { id, key: issued.issueWriteKey.secret as string };
    },
    async updateSource(id, input) {
      await call(`mutation($input: UpdateSourceInput!) { updateSource(input: $input) { id } }`, {
        input: { id, ...input },
      });
      await new Promise((done) => setTimeout(done, 1_200)); // WRITE_KEY_CACHE_MS is 1 s
    },
    snippet: (key, options) => snippet(ingest.url, key, options),
    newContext: () => browser.newContext(),
    async close() {
      await browser.close();
      await new Promise((done) => server.server.close(done));
      await ingest.close();
      await api.close();
    },
  };
}

/** The test site: a registered page per path; unknown paths get `/` (a single-page app's fallback). */
async function startSite(pages: Map<string, SitePage>): Promise<{ origin: string; named: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    const page = pages.get(path) ?? pages.get('/');
    if (path === '/favicon.ico' || !page) {
      res.writeHead(404).end();
      return;
    }
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Site ${path}</title>${page.head ?? ''}</head>
<body>${page.body ?? ''}</body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, named: `http://${SITE_HOST}:${port}`, server };
}

export function storedEvents(sourceId: string): Promise<StoredEvent[]> {
  return queryTestDb<StoredEvent & Record<string, unknown>>(
    // The browser's clock at each call (ingest stores a batch in messageId order, and corrects
    // `timestamp` by each batch's own skew, so neither is call order). Within one millisecond: a session
    // starts before the event that started it, and ends (stamped at its last event) after that event.
    `SELECT type, event, user_id, anonymous_id, payload FROM events WHERE source_id = $1
      ORDER BY COALESCE(payload->>'originalTimestamp', payload->>'timestamp')::timestamptz,
        CASE event WHEN 'session_start' THEN 0 WHEN 'session_end' THEN 2 ELSE 1 END, id`,
    [sourceId],
  );
}

/** Polls Postgres until `ready` holds for the source's events (the SDK sends asynchronously). */
export async function waitForEvents(
  sourceId: string,
  ready: (events: StoredEvent[]) => boolean,
  timeoutMs = 15_000,
): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await storedEvents(sourceId);
    if (ready(events)) {
      return events;
    }
    if (Date.now() > deadline) {
      throw new Error(`events never got there; stored: ${JSON.stringify(events.map(describe))}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** An event in one line, for assertions: `track:Signed Up`, `page:/pricing`, `identify`. */
export function describe(event: StoredEvent): string {
  if (event.type === 'track') {
    return `track:${event.event}`;
  }
  if (event.type === 'page') {
    return `page:${event.payload.properties?.path}`;
  }
  return event.type;
}

/** Opens a page of the site in a fresh context (unless given one) and waits for the SDK to be ready. */
export async function openSitePage(
  stack: SdkStack,
  path: string,
  context?: BrowserContext,
  origin = stack.site.origin,
): Promise<Page> {
  const page = await (context ?? (await stack.newContext())).newPage();
  await page.goto(`${origin}${path}`);
  await page.waitForFunction(() => (globalThis as any).tributary?.installed === true);
  return page;
}
