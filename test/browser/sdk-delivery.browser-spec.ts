// Delivery in a real browser: events made offline wait in the localStorage queue and arrive once the
// browser is back online (or on the next page when ingest was unreachable); a 429 is retried after its
// Retry-After; events still queued when the page is hidden leave by sendBeacon.
import type { Page } from 'playwright-core';
import { openSitePage, type SdkStack, startSdkStack, waitForEvents } from '../utils/browser-sdk';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** The events the page's origin has queued, over every tab's saved queue ("<written at> <events JSON>"). */
const queued = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((name) => name.startsWith('tributary_queue'))
      .flatMap((name) => {
        const saved = localStorage.getItem(name) ?? '';
        return JSON.parse(saved.slice(saved.indexOf('['))).map((m: any) => m.event ?? m.type);
      }),
  );
const nothingQueued = () => !Object.keys(localStorage).some((name) => name.startsWith('tributary_queue'));
const track = (page: Page, event: string) => page.evaluate((name) => (globalThis as any).tributary.track(name), event);

describe('browser SDK delivery', () => {
  let stack: SdkStack;

  beforeAll(async () => {
    stack = await startSdkStack();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('keeps events made offline in localStorage and sends them when the browser is back online', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', { head: stack.snippet(source.key, { flushIntervalMs: 200 }) });
    const context = await stack.newContext();
    const page = await openSitePage(stack, '/', context);
    await waitForEvents(source.id, (events) => events.some((e) => e.type === 'page'));

    await context.setOffline(true);
    await track(page, 'Offline One');
    await track(page, 'Offline Two');
    await sleep(1_500);
    expect(await queued(page)).toEqual(['Offline One', 'Offline Two']);
    expect((await waitForEvents(source.id, () => true)).some((e) => e.event?.startsWith('Offline'))).toBe(false);

    await context.setOffline(false);
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Offline Two'));
    expect(events.filter((e) => e.event?.startsWith('Offline')).map((e) => e.event)).toEqual([
      'Offline One',
      'Offline Two',
    ]);
    await page.waitForFunction(nothingQueued);
  });

  it('sends what an earlier page could not deliver (closed while offline) from the next page', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', { head: stack.snippet(source.key, { flushIntervalMs: 200 }) });
    const context = await stack.newContext();
    const page = await openSitePage(stack, '/', context);
    await waitForEvents(source.id, (events) => events.some((e) => e.type === 'page'));
    await context.setOffline(true);
    await track(page, 'Made Offline');
    await sleep(500);
    await page.goto('about:blank'); // the page goes away; no beacon, which would be lost offline
    await context.setOffline(false);
    await sleep(500);
    expect((await waitForEvents(source.id, () => true)).some((e) => e.event === 'Made Offline')).toBe(false);

    await page.goto(`${stack.site.origin}/`);
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Made Offline'));
    expect(events.filter((e) => e.event === 'Made Offline')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'session_start')).toHaveLength(1);
  });

  it('two tabs offline keep each other’s events: a tab closed offline leaves its queue to the other', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', { head: stack.snippet(source.key, { flushIntervalMs: 200 }) });
    const context = await stack.newContext();
    const [first, second] = [await openSitePage(stack, '/', context), await openSitePage(stack, '/', context)];
    await waitForEvents(source.id, (events) => events.filter((e) => e.type === 'page').length === 2);

    await context.setOffline(true);
    await track(first, 'First Tab');
    await sleep(300);
    await track(second, 'Second Tab'); // saved after the first tab's: it must not overwrite it
    await sleep(300);
    expect((await queued(second)).sort()).toEqual(['First Tab', 'Second Tab']);
    await first.close(); // offline: no beacon; its page releases its queue on pagehide

    await context.setOffline(false);
    await second.evaluate(() => (globalThis as any).dispatchEvent(new Event('online')));
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'First Tab'));
    expect(
      events
        .filter((e) => e.event?.endsWith(' Tab'))
        .map((e) => e.event)
        .sort(),
    ).toEqual(['First Tab', 'Second Tab']);
    await second.waitForFunction(nothingQueued);
  });

  it('retries a 429 after its Retry-After, and nothing is lost', async () => {
    const source = await stack.createSource();
    await stack.updateSource(source.id, { rateLimit: { eventsPerSecond: 1, burst: 1 } });
    stack.site.pages.set('/', { head: stack.snippet(source.key, { flushIntervalMs: 50 }) });
    const context = await stack.newContext();
    const answers: { at: number; status: number; retryAfter: string | null }[] = [];
    context.on('response', (res) => {
      if (res.url() === `${stack.ingest.url}/v1/batch`) {
        answers.push({ at: Date.now(), status: res.status(), retryAfter: res.headers()['retry-after'] ?? null });
      }
    });
    const page = await openSitePage(stack, '/', context);
    for (const name of ['Burst 1', 'Burst 2', 'Burst 3']) {
      await track(page, name);
      await sleep(100);
    }
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Burst 3'), 20_000);

    expect(events.filter((e) => e.event?.startsWith('Burst')).map((e) => e.event)).toEqual([
      'Burst 1',
      'Burst 2',
      'Burst 3',
    ]);
    const limited = answers.findIndex((a) => a.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    expect(answers[limited].retryAfter).toMatch(/^\d+$/);
    const next = answers[limited + 1];
    expect(next.at - answers[limited].at).toBeGreaterThanOrEqual(Number(answers[limited].retryAfter) * 1000 - 100);
  });

  it('hands events still queued to sendBeacon when the page goes away', async () => {
    const source = await stack.createSource();
    // Counts the page's sendBeacon calls where the next page can read them.
    const countBeacons = `<script>
      const send = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url, data) => {
        localStorage.setItem('beacons', String(Number(localStorage.getItem('beacons') || 0) + 1));
        return send(url, data);
      };
    </script>`;
    // A long interval: without the beacon these events would still be waiting when the page goes away.
    stack.site.pages.set('/', { head: countBeacons + stack.snippet(source.key, { flushIntervalMs: 60_000 }) });
    stack.site.pages.set('/next', { body: 'no SDK here' });
    const page = await openSitePage(stack, '/');
    await page.evaluate(() => (globalThis as any).tributary.flush());
    await track(page, 'Leaving');
    await page.goto(`${stack.site.origin}/next`);
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Leaving'));

    expect(events.filter((e) => e.event === 'Leaving')).toHaveLength(1);
    expect(await page.evaluate(() => localStorage.getItem('beacons'))).toBe('1');
    // The beacon's events left the queue: the next page with the SDK does not send them again.
    expect(await page.evaluate(nothingQueued)).toBe(true);
  });
});
