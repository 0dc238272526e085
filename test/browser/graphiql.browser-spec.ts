import { chromium, type Browser, type Page } from 'playwright-core';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { startTestApi, type TestApi } from '../utils/api';

describe('GraphiQL in a real browser', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
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
    page = await browser.newPage();
    page.on('request', (req) => requested.push(req.url()));
    page.on('console', (msg) => problems.push(`console.${msg.type()}: ${msg.text()}`));
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('renders', async () => {
    await page.goto(`${api.url}/graphql`);
    await page.waitForTimeout(3000);
    await page.screenshot({ path: '/tmp/graphiql.png' });
    console.log(requested, problems);
    console.log(
      await page.evaluate(`Array.from(document.querySelectorAll('.CodeMirror')).map(e => {
        const chain = []; for (let n = e; n && n.id !== 'graphiql'; n = n.parentElement) chain.push(n.tagName + '.' + n.className.split(' ').join('.') + (n.getAttribute('aria-label') ? '[' + n.getAttribute('aria-label') + ']' : ''));
        return chain.join(' < ') + ' => ' + JSON.stringify(e.CodeMirror.getValue().slice(0, 40));
      }).join('\\n') + '\\n' + Array.from(document.querySelectorAll('button')).map(b => b.className + ' ' + b.getAttribute('aria-label')).join('\\n')`),
    );
  });
});
