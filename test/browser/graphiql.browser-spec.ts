import { chromium, type Browser, type Page } from 'playwright-core';
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

  it('runs a query with the token typed into the Headers editor', async () => {
    const { adminToken } = await api.createWorkspace();
    await page.goto(`${api.url}/graphql`);
    await page.locator(QUERY_EDITOR).waitFor();
    await typeInto(page, QUERY_EDITOR, 'query Count { sources { totalCount } }');
    // GraphiQL re-derives the operation name on a debounce; running sooner would send the stale "Sources".
    const query = await page.locator(QUERY_EDITOR).elementHandle();
    await page.waitForFunction((el: any) => el.CodeMirror.operationName === 'Count', query);

    // The page presets an empty "Bearer " header: the api must refuse it.
    expect(await run(page, 'UNAUTHENTICATED')).toContain('"code": "UNAUTHENTICATED"');

    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await typeInto(page, HEADERS_EDITOR, `{"Authorization": "Bearer ${adminToken}"}`);
    const result = await run(page, '"totalCount"');
    expect(result).toContain('"totalCount": 0');
    expect(result).not.toContain('"errors"');

    // Offline by design: every request stayed on the api's own origin, and nothing failed or was blocked.
    const origin = new URL(api.url).origin;
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
