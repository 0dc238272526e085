import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { startTestApi, type TestApi } from '../utils/api';
import { findChromium } from '../../scripts/lib/chromium';

// GraphiQL 3 editors are CodeMirror 5 instances; the CodeMirror object hangs off its wrapper element.
const CHROMIUM = findChromium(process.env); // CHROMIUM_PATH, else chromium on PATH
const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
const HEADERS_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
const RESULT = '.result-window .CodeMirror';

/** Replaces an editor's content by typing, as a user would (select all, then type). */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** Clicks Run and returns the result pane's text once it contains `expected` (or after 10 s, to fail readably). */
async function run(page: Page, expected: string): Promise<string> {
  const result = await page.locator(RESULT).elementHandle();
  await page.getByRole('button', { name: /^Execute query/ }).click();
  // A function predicate, not a string: the page's CSP rightly forbids the eval a string would need.
  const done = ([el, text]: [any, string]) => el.CodeMirror.getValue().includes(text) as boolean;
  await page.waitForFunction(done, [result, expected] as const, { timeout: 10_000 }).catch(() => undefined);
  return page.locator(RESULT).evaluate((el: any) => el.CodeMirror.getValue() as string);
}

describe('GraphiQL in a real browser', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    if (!CHROMIUM.found) {
      throw new Error(`${CHROMIUM.problem}: the browser tier needs Debian's chromium (apt-get install chromium)`);
    }
    api = await startTestApi();
    browser = await chromium.launch({
      executablePath: CHROMIUM.path, // the system browser: nothing is downloaded
      // Root needs --no-sandbox; the rest keep Chromium from phoning home on a closed network.
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
    const context = await browser.newContext();
    context.on('request', (req) => requested.push(req.url()));
    page = await context.newPage();
    // CSP violations, failed asset loads and script errors all surface here.
    page.on('console', (msg) => msg.type() === 'error' && problems.push(`${msg.text()} (${msg.location().url})`));
    page.on('pageerror', (err) => problems.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  // One page, one session: the steps run in order, as a user would go.
  const introspections: (string | undefined)[] = [];
  const docs = (): Locator => page.locator('.graphiql-doc-explorer');
  let adminToken: string;
  let tokenless: number;

  /** Types a query and waits for GraphiQL to re-derive its operation name (on a debounce). */
  async function setQuery(text: string, operationName: string): Promise<void> {
    await typeInto(page, QUERY_EDITOR, text);
    const editor = await page.locator(QUERY_EDITOR).elementHandle();
    await page.waitForFunction(([el, name]: [any, string]) => el.CodeMirror.operationName === name, [
      editor,
      operationName,
    ] as const);
  }

  it('prefills the Headers editor with "Bearer " and, without a token, has no schema and refuses queries', async () => {
    adminToken = (await api.createWorkspace()).adminToken;
    page.on('request', (req) => {
      if (req.method() === 'POST' && (req.postData() ?? '').includes('IntrospectionQuery')) {
        introspections.push(req.headers().authorization);
      }
    });
    await page.goto(`${api.url}/graphql`);
    await page.locator(QUERY_EDITOR).waitFor();
    const headers = await page.locator(HEADERS_EDITOR).evaluate((el: any) => el.CodeMirror.getValue() as string);
    expect(JSON.parse(headers)).toEqual({ Authorization: 'Bearer ' });

    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await docs().locator('.graphiql-doc-explorer-error').waitFor();
    expect(await docs().locator('.graphiql-doc-explorer-root-type').count()).toBe(0);
    // (GraphiQL retries a schema answer without data once, with its subscription-free query.)
    expect(new Set(introspections)).toEqual(new Set(['Bearer']));
    tokenless = introspections.length;

    await setQuery('query Count { sources { totalCount } }', 'Count');
    const refused = await run(page, 'UNAUTHENTICATED');
    expect(refused).toContain('"code": "UNAUTHENTICATED"');
    expect(refused).toContain('Send an API token as');
  });

  it('fetches the schema again, once, when a token is typed: docs and autocomplete work', async () => {
    // Key by key, as a user would: half-typed tokens are not sent.
    await typeInto(page, HEADERS_EDITOR, `{"Authorization": "Bearer ${adminToken}"}`);
    await docs().locator('.graphiql-doc-explorer-root-type', { hasText: 'Query' }).waitFor({ timeout: 10_000 });
    expect(introspections.slice(tokenless)).toEqual([`Bearer ${adminToken}`]);
    await docs().getByRole('link', { name: 'Query' }).click();
    await docs().getByText('sources', { exact: true }).waitFor();

    await typeInto(page, QUERY_EDITOR, '{ sour');
    await page.keyboard.press('Control+Space');
    await page.locator('.CodeMirror-hints').getByText('sources', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('runs a query with the token, offline, with no failure but the refusals asked for', async () => {
    await setQuery('query Count { sources { totalCount } }', 'Count');
    const result = await run(page, '"totalCount"');
    expect(result).toContain('"totalCount": 0');
    expect(result).not.toContain('"errors"');

    // Every request stayed on the api's own origin; nothing failed or was blocked except the tokenless
    // schema fetch and query of the first step (401).
    const origin = new URL(api.url).origin;
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    const expected401 =
      /^Failed to load resource: the server responded with a status of 401 \(Unauthorized\) \(http:\/\/127\.0\.0\.1:\d+\/graphql\)$/;
    expect(problems.filter((p) => !expected401.test(p))).toEqual([]);
  });
});
