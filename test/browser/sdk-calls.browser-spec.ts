// The browser SDK as a site uses it: the snippet pasted into a page queues calls made before the script
// loads, then every call lands in Postgres through the real ingest; the anonymous id persists across
// reloads (cookie, or localStorage when cookies are blocked). Ingest serves the script cacheably.
import { renameSync } from 'node:fs';
import { SDK_BUNDLE } from '../../scripts/lib/browser-sdk-build';
import { describe as line, openSitePage, type SdkStack, startSdkStack, waitForEvents } from '../utils/browser-sdk';

describe('browser SDK calls', () => {
  let stack: SdkStack;

  beforeAll(async () => {
    stack = await startSdkStack();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('serves the script at its versioned URL with an ETag, 304 on revalidation, 503 when unbuilt', async () => {
    const url = `${stack.ingest.url}/sdk/v1/tributary.min.js`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('public, max-age=3600');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(await first.text()).toContain('tributary');

    const again = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await fetch(url, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);

    renameSync(SDK_BUNDLE, `${SDK_BUNDLE}.away`);
    try {
      const missing = await fetch(url);
      expect(missing.status).toBe(503);
      expect(await missing.text()).toContain('run `npm run build`');
    } finally {
      renameSync(`${SDK_BUNDLE}.away`, SDK_BUNDLE);
    }
  });

  it('replays calls queued before the script loaded, then every call lands in order', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', {
      head: `${stack.snippet(source.key)}
<script>
  tributary.identify('user-1', { plan: 'pro' });
  tributary.track('Signed Up', { via: 'snippet' });
  tributary.page('Home', { section: 'landing' });
  tributary.group('acme', { seats: 5 });
  tributary.alias('user-2');
  tributary.ready(function () { window.readyAt = Date.now(); });
</script>`,
    });
    const page = await openSitePage(stack, '/');
    await page.waitForFunction(() => typeof (globalThis as any).readyAt === 'number');
    const before = await waitForEvents(source.id, (events) => events.length >= 7);
    await page.evaluate(async () => {
      const t = (globalThis as any).tributary;
      t.reset();
      t.track('After Reset', { n: 1 });
      await t.flush();
    });
    const events = await waitForEvents(source.id, (all) => all.length >= 9);

    // Calls in the same millisecond tie on timestamp: the first seven are compared as a set.
    expect(events.slice(0, 7).map(line).sort()).toEqual(
      ['track:session_start', 'identify', 'track:Signed Up', 'page:/', 'group', 'alias', 'page:/'].sort(),
    );
    expect(events.slice(7).map(line)).toEqual(['track:session_start', 'track:After Reset']);
    const find = (type: string) => events.find((e) => e.type === type)!;
    const [identify, group, alias] = [find('identify'), find('group'), find('alias')];
    const track = events.find((e) => e.event === 'Signed Up')!;
    const named = events.find((e) => e.payload.name === 'Home')!;
    expect(identify.user_id).toBe('user-1');
    expect(identify.payload.traits).toEqual({ plan: 'pro' });
    expect(track.payload.properties).toEqual({ via: 'snippet' });
    expect(named.payload).toMatchObject({ name: 'Home', properties: { section: 'landing', path: '/' } });
    expect(group.payload).toMatchObject({ groupId: 'acme', traits: { seats: 5 } });
    expect(alias.payload).toMatchObject({ previousId: 'user-1', userId: 'user-2' });
    // The automatic page view comes once the settings arrived, after the queued calls: alias set user-2.
    expect(before.filter((e) => e.type === 'page' && !e.payload.name).map((e) => e.user_id)).toEqual(['user-2']);

    // One browser identity and one session until reset; reset forgets the user and starts afresh.
    const anonymous = new Set(events.slice(0, 7).map((e) => e.anonymous_id));
    expect(anonymous.size).toBe(1);
    expect(new Set(events.slice(0, 7).map((e) => e.payload.context.sessionId)).size).toBe(1);
    const [, , , , , , , restarted, afterReset] = events;
    expect(afterReset.user_id).toBeNull();
    expect(anonymous.has(afterReset.anonymous_id)).toBe(false);
    expect(afterReset.payload.context.sessionId).toBe(restarted.payload.context.sessionId);
    expect(afterReset.payload.context.sessionId).not.toBe(events[0].payload.context.sessionId);
    expect(track.payload.context).toMatchObject({
      library: { name: '@tributary/browser', version: '0.1.0' },
      page: { url: `${stack.site.origin}/`, path: '/' },
    });
    // The write key travels in bodies only: never in ingest's logs.
    expect(stack.ingest.logs.filter((l) => l.includes(source.key))).toEqual([]);
  });

  it('keeps the anonymous id across reloads in a cookie, for the configured cookie domain', async () => {
    const source = await stack.createSource({ autocapture: { pageViews: true, clicks: false, formSubmits: false } });
    stack.site.pages.set('/', { head: stack.snippet(source.key, { cookieDomain: '.shop.test' }) });
    const context = await stack.newContext();
    const page = await openSitePage(stack, '/', context, stack.site.named);
    await waitForEvents(source.id, (events) => events.some((e) => e.type === 'page'));
    await page.reload();
    const events = await waitForEvents(source.id, (all) => all.filter((e) => e.type === 'page').length === 2);

    const pages = events.filter((e) => e.type === 'page');
    expect(pages[0].anonymous_id).toBe(pages[1].anonymous_id);
    const cookie = (await context.cookies()).find((c) => c.name === 'tributary_aid');
    expect(cookie).toMatchObject({ value: pages[0].anonymous_id, domain: '.shop.test' });
  });

  it('falls back to localStorage when the page cannot keep cookies', async () => {
    const source = await stack.createSource();
    const noCookies = `<script>Object.defineProperty(document, 'cookie', { get: () => '', set: () => {} });</script>`;
    stack.site.pages.set('/', { head: noCookies + stack.snippet(source.key) });
    const context = await stack.newContext();
    const page = await openSitePage(stack, '/', context);
    await waitForEvents(source.id, (events) => events.some((e) => e.type === 'page'));
    await page.reload();
    const events = await waitForEvents(source.id, (all) => all.filter((e) => e.type === 'page').length === 2);

    const pages = events.filter((e) => e.type === 'page');
    expect(pages[0].anonymous_id).toBe(pages[1].anonymous_id);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('tributary_aid'))).toBe(pages[0].anonymous_id);
  });
});
