// Autocapture in a real page: clicks and form submits follow the source's settings (or the page's
// overrides), never carry the values of password, hidden or payment-card fields, and skip anything under
// data-tributary-ignore; single-page-app navigations are page views.
import { describe as line, openSitePage, type SdkStack, startSdkStack, waitForEvents } from '../utils/browser-sdk';

const SECRETS = ['hunter2-secret', 'csrf-token-123', '4242424242424242', '987', 'ignored-note'];

const SHOP = `
<button id="buy" class="cta primary">Buy now</button>
<a id="docs" href="/docs">Read the docs</a>
<div data-tributary-ignore><button id="private">Private action</button></div>
<form id="checkout" name="checkout" action="/order" method="post" onsubmit="event.preventDefault()">
  <input name="email" value="ada@example.com">
  <select name="plan"><option value="pro" selected>Pro</option></select>
  <input type="checkbox" name="newsletter" value="yes" checked>
  <input type="checkbox" name="terms" value="yes">
  <input type="password" name="pw" value="${SECRETS[0]}">
  <input type="hidden" name="csrf" value="${SECRETS[1]}">
  <input name="number" autocomplete="cc-number" value="${SECRETS[2]}">
  <input name="card_cvc" value="${SECRETS[3]}">
  <textarea name="note" data-tributary-ignore>${SECRETS[4]}</textarea>
  <button type="submit" id="pay">Pay</button>
</form>
<form id="private-form" data-tributary-ignore onsubmit="event.preventDefault()">
  <input name="q" value="secret search"><button type="submit" id="private-submit">Go</button>
</form>`;

describe('browser SDK autocapture', () => {
  let stack: SdkStack;

  beforeAll(async () => {
    stack = await startSdkStack();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('records clicks and form submits without sensitive values, ignoring data-tributary-ignore', async () => {
    const source = await stack.createSource({ autocapture: { pageViews: true, clicks: true, formSubmits: true } });
    stack.site.pages.set('/', { head: stack.snippet(source.key), body: SHOP });
    const page = await openSitePage(stack, '/');
    await waitForEvents(source.id, (events) => events.some((e) => e.type === 'page'));
    await page.click('#buy');
    await page.click('#private');
    await page.click('#pay');
    await page.click('#private-submit');
    await page.evaluate(() => (globalThis as any).tributary.flush());
    const events = await waitForEvents(source.id, (all) => all.some((e) => e.event === 'Form Submitted'));

    const clicks = events.filter((e) => e.event === 'Element Clicked').map((e) => e.payload.properties);
    expect(clicks).toEqual([
      { tagName: 'button', id: 'buy', classes: ['cta', 'primary'], text: 'Buy now', path: '/' },
      { tagName: 'button', id: 'pay', text: 'Pay', path: '/' },
    ]);
    const forms = events.filter((e) => e.event === 'Form Submitted').map((e) => e.payload.properties);
    expect(forms).toEqual([
      {
        formId: 'checkout',
        formName: 'checkout',
        action: `${stack.site.origin}/order`,
        method: 'post',
        fields: { email: 'ada@example.com', plan: 'pro', newsletter: 'yes' },
        path: '/',
      },
    ]);
    const everything = JSON.stringify(events.map((e) => e.payload));
    for (const secret of [...SECRETS, 'secret search']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('follows the source settings (clicks off by default), the page overrides, and setting changes', async () => {
    const source = await stack.createSource();
    const clicked = async (options?: { autocapture: { clicks: boolean } }): Promise<number> => {
      stack.site.pages.set('/', { head: stack.snippet(source.key, options), body: SHOP });
      const page = await openSitePage(stack, '/');
      const pagesBefore = (await waitForEvents(source.id, () => true)).filter((e) => e.type === 'page').length;
      await waitForEvents(source.id, (all) => all.filter((e) => e.type === 'page').length > pagesBefore);
      await page.click('#buy');
      await page.evaluate(() => (globalThis as any).tributary.track('Marker'));
      await page.evaluate(() => (globalThis as any).tributary.flush());
      await page.close();
      const all = await waitForEvents(source.id, (events) => events.some((e) => e.event === 'Marker'));
      return all.filter((e) => e.event === 'Element Clicked').length;
    };
    expect(await clicked()).toBe(0);
    expect(await clicked({ autocapture: { clicks: true } })).toBe(1);
    await stack.updateSource(source.id, { trackingConfig: { autocapture: { clicks: true } } });
    expect(await clicked()).toBe(2);
  });

  it('records single-page-app navigations (pushState, replaceState, back) as page views, not hash changes', async () => {
    const source = await stack.createSource();
    stack.site.pages.set('/', { head: stack.snippet(source.key), body: '<h1>App</h1>' });
    const page = await openSitePage(stack, '/');
    await waitForEvents(source.id, (events) => events.some((e) => e.type === 'page'));
    await page.evaluate(() => (globalThis as any).history.pushState({}, '', '/pricing'));
    await page.evaluate(() => (globalThis as any).history.replaceState({}, '', '/pricing?plan=pro'));
    await page.evaluate(() => (globalThis as any).history.replaceState({}, '', '/pricing?plan=pro'));
    await page.evaluate(() => {
      (globalThis as any).location.hash = '#faq';
    });
    await page.evaluate(() => (globalThis as any).history.go(-2));
    await page.waitForFunction(() => (globalThis as any).location.pathname === '/');
    await page.evaluate(() => (globalThis as any).tributary.flush());
    const events = await waitForEvents(source.id, (all) => all.filter((e) => e.type === 'page').length >= 4);

    const pages = events.filter((e) => e.type === 'page');
    expect(pages.map((e) => [line(e), e.payload.properties.search])).toEqual([
      ['page:/', ''],
      ['page:/pricing', ''],
      ['page:/pricing', '?plan=pro'],
      ['page:/', ''],
    ]);
    expect(pages[2].payload.context.page.url).toBe(`${stack.site.origin}/pricing?plan=pro`);
    expect(new Set(pages.map((e) => e.payload.context.sessionId)).size).toBe(1);
  });
});
