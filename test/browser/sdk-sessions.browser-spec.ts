// Sessions in a real browser: every event carries context.sessionId; a session survives reloads, ends
// after the inactivity timeout (configured to seconds here) with session_end, and the next event starts a
// new one with session_start, whether the page stayed open or was closed and opened again.
import { openSitePage, type SdkStack, startSdkStack, type StoredEvent, waitForEvents } from '../utils/browser-sdk';

const TIMEOUT_MINUTES = 0.05; // 3 s
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const clientTime = (e: StoredEvent): string => e.payload.originalTimestamp ?? e.payload.timestamp;
const sessionOf = (e: StoredEvent): string => e.payload.context.sessionId;

describe('browser SDK sessions', () => {
  let stack: SdkStack;

  beforeAll(async () => {
    stack = await startSdkStack();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const track = (page: import('playwright-core').Page, event: string) =>
    page.evaluate(async (name) => {
      const t = (globalThis as any).tributary;
      t.track(name);
      await t.flush();
    }, event);

  it('keeps one session across reloads within the timeout', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', { head: stack.snippet(source.key) });
    const context = await stack.newContext();
    const page = await openSitePage(stack, '/', context);
    await track(page, 'First');
    await page.reload();
    await page.waitForFunction(() => (globalThis as any).tributary?.installed === true);
    await track(page, 'Second');
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Second'));

    expect(events.filter((e) => e.event === 'session_start')).toHaveLength(1);
    expect(events.every((e) => typeof sessionOf(e) === 'string')).toBe(true);
    expect(new Set(events.map(sessionOf)).size).toBe(1);
  });

  it('ends an idle session on an open page and starts a new one with the next event', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', { head: stack.snippet(source.key, { sessionTimeoutMinutes: TIMEOUT_MINUTES }) });
    const page = await openSitePage(stack, '/');
    await track(page, 'Before Idle');
    // The open page ends the idle session by itself, before any further event.
    await waitForEvents(source.id, (all) => all.some((e) => e.event === 'session_end'), 10_000);
    await track(page, 'After Idle');
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'After Idle'));

    const tracks = events.filter((e) => e.type === 'track').map((e) => e.event);
    expect(tracks).toEqual(['session_start', 'Before Idle', 'session_end', 'session_start', 'After Idle']);
    const [start, before, end, restart, after] = events.filter((e) => e.type === 'track');
    expect(sessionOf(before)).toBe(sessionOf(start));
    expect(sessionOf(end)).toBe(sessionOf(start));
    expect(sessionOf(after)).toBe(sessionOf(restart));
    expect(sessionOf(after)).not.toBe(sessionOf(before));
    // session_end is stamped at the last activity, and says how long the session lasted.
    const lastActivity = events.filter((e) => sessionOf(e) === sessionOf(start) && e !== end).at(-1)!;
    expect(clientTime(end)).toBe(clientTime(lastActivity));
    expect(end.payload.properties.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('ends a session that timed out while no page was open, on the next visit', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', { head: stack.snippet(source.key, { sessionTimeoutMinutes: TIMEOUT_MINUTES }) });
    const context = await stack.newContext();
    const first = await openSitePage(stack, '/', context);
    await track(first, 'Visit One');
    await first.close();
    await sleep(4_000);
    const second = await openSitePage(stack, '/', context);
    await track(second, 'Visit Two');
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Visit Two'));

    const tracks = events.filter((e) => e.type === 'track');
    expect(tracks.map((e) => e.event)).toEqual([
      'session_start',
      'Visit One',
      'session_end',
      'session_start',
      'Visit Two',
    ]);
    expect(sessionOf(tracks[2])).toBe(sessionOf(tracks[1]));
    expect(sessionOf(tracks[4])).not.toBe(sessionOf(tracks[1]));
    expect(new Set(events.map((e) => e.anonymous_id)).size).toBe(1);
  });
});
