// The SDK and the page leave each other alone: a page's own errors (in its handlers, its ready
// callbacks, uncaught) do not stop tracking; an unreachable ingest or a missing script never throws into
// the page; with requireConsent nothing is stored or sent before consent(true).
import { freePort } from '../../scripts/lib/free-port';
import { openSitePage, type SdkStack, startSdkStack, waitForEvents } from '../utils/browser-sdk';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('browser SDK resilience', () => {
  let stack: SdkStack;

  beforeAll(async () => {
    stack = await startSdkStack();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("keeps tracking through the page's own errors", async () => {
    const source = await stack.createSource({ autocapture: { pageViews: true, clicks: true, formSubmits: false } });
    stack.site.pages.set('/', {
      head: `${stack.snippet(source.key)}
<script>
  tributary.ready(function () { throw new Error('page ready callback broke'); });
  tributary.ready(function () { window.secondReady = true; });
  setTimeout(function () { undefinedPageFunction(); }, 0);
</script>`,
      body: `<button id="broken" onclick="event.stopPropagation(); throw new Error('page handler broke')">Broken</button>`,
    });
    const context = await stack.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${stack.site.origin}/`);
    await page.waitForFunction(() => (globalThis as any).secondReady === true);
    await page.click('#broken');
    await page.evaluate(() => (globalThis as any).tributary.track('Still Tracking'));
    await page.evaluate(() => (globalThis as any).tributary.flush());
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Still Tracking'));

    expect(events.map((e) => e.event ?? e.type)).toEqual(
      expect.arrayContaining(['page', 'Element Clicked', 'Still Tracking']),
    );
    // The page's errors are still the page's (reported as they would be without the SDK); none is ours.
    expect(pageErrors.sort()).toEqual(
      ['page handler broke', 'page ready callback broke', 'undefinedPageFunction is not defined'].sort(),
    );
  });

  it('never throws into the page when ingest is down or the script cannot load', async () => {
    const source = await stack.createSource();
    const deadHost = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const calls = `<script>
  window.results = [];
  try {
    tributary.identify('u1', { a: 1 }); tributary.track('x'); tributary.page(); tributary.group('g');
    tributary.alias('u2'); tributary.reset(); tributary.consent(true); tributary.flush();
    tributary.track(undefined, 42, 'nonsense'); tributary.identify(null); tributary.load(null);
    tributary.track('Bad Options', {}, { context: { get broken() { throw new Error('page getter broke'); } } });
    tributary.track('Unsendable', { get broken() { throw new Error('page getter broke'); } });
    tributary.track('Circular', (function () { var o = {}; o.self = o; return o; })());
    window.results.push('calls returned');
  } catch (error) { window.results.push('threw: ' + error); }
  document.addEventListener('DOMContentLoaded', function () { document.body.dataset.app = 'alive'; });
</script>`;
    const snippetAt = (host: string) => stack.snippet(source.key, { host }).replace(stack.ingest.url, host);
    const pageErrors: string[] = [];

    // The script itself unreachable: the stub queues, the page runs.
    stack.site.pages.set('/', { head: snippetAt(deadHost) + calls, body: '<p>shop</p>' });
    const context = await stack.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${stack.site.origin}/`);
    await page.waitForFunction(() => (globalThis as any).document.body.dataset.app === 'alive');
    expect(await page.evaluate(() => (globalThis as any).results)).toEqual(['calls returned']);

    // The script loads, but every request to ingest fails: calls still return, the page runs.
    await context.route(`${stack.ingest.url}/v1/**`, (route) => route.abort('connectionrefused'));
    stack.site.pages.set('/', { head: stack.snippet(source.key) + calls, body: '<p>shop</p>' });
    await page.goto(`${stack.site.origin}/`);
    await page.waitForFunction(() => (globalThis as any).tributary?.installed === true);
    await page.waitForFunction(() => (globalThis as any).document.body.dataset.app === 'alive');
    // The same kind of calls once the SDK runs them directly (not through the stub's queue).
    const direct = await page.evaluate(() => {
      const t = (globalThis as any).tributary;
      const throwing = {
        get broken(): unknown {
          throw new Error('page getter broke');
        },
      };
      try {
        t.track('Bad Options', {}, { context: throwing });
        t.identify(throwing, throwing);
        t.page(throwing, throwing, { context: throwing });
        t.load(null);
        return 'calls returned';
      } catch (error) {
        return `threw: ${String(error)}`;
      }
    });
    expect(direct).toBe('calls returned');
    await page.evaluate(() => (globalThis as any).tributary.flush());
    await sleep(1_500);
    expect(await page.evaluate(() => (globalThis as any).results)).toEqual(['calls returned']);
    expect(pageErrors).toEqual([]);

    // Ingest back: what was queued arrives (the unsendable events were dropped, nothing else).
    await context.unroute(`${stack.ingest.url}/v1/**`);
    await page.evaluate(() => (globalThis as any).tributary.track('Ingest Back'));
    await page.evaluate(() => (globalThis as any).tributary.flush());
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Ingest Back'));
    expect(events.filter((e) => e.type === 'track').map((e) => e.event)).toEqual(
      expect.arrayContaining(['x', 'Ingest Back']),
    );
    expect(events.some((e) => ['Bad Options', 'Unsendable', 'Circular'].includes(e.event ?? ''))).toBe(false);
  });

  it('with requireConsent, stores and sends nothing until consent(true)', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', { head: stack.snippet(source.key, { requireConsent: true, flushIntervalMs: 100 }) });
    const context = await stack.newContext();
    const sent: string[] = [];
    context.on('request', (req) => {
      if (req.url().startsWith(`${stack.ingest.url}/v1/`) && req.method() === 'POST') {
        sent.push(req.url());
      }
    });
    const page = await openSitePage(stack, '/', context);
    await page.evaluate(() => (globalThis as any).tributary.track('Before Consent'));
    await sleep(1_500);
    expect(sent).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tributary')))).toEqual([]);
    expect(await waitForEvents(source.id, () => true)).toEqual([]);

    await page.evaluate(() => (globalThis as any).tributary.consent(true));
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Before Consent'));
    expect(events.map((e) => e.event ?? e.type).sort()).toEqual(['Before Consent', 'page', 'session_start']);
    const cookie = (await context.cookies()).find((c) => c.name === 'tributary_aid');
    expect(cookie?.value).toBe(events[0].anonymous_id);

    // Withdrawn: everything the SDK stored is gone, and later calls are not sent.
    await page.evaluate(() => (globalThis as any).tributary.consent(false));
    await page.evaluate(() => (globalThis as any).tributary.track('After Withdrawal'));
    await sleep(1_000);
    expect((await context.cookies()).filter((c) => c.name.startsWith('tributary'))).toEqual([]);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tributary')))).toEqual([]);
    expect((await waitForEvents(source.id, () => true)).some((e) => e.event === 'After Withdrawal')).toBe(false);
  });
});
