// packages/gtm/tributary.tpl in a GTM-like runtime that enforces the template's declared permissions:
// the sandboxed code on a model page, then the template's own ___TESTS___ scenarios.
import { PermissionError, Permissions } from './permissions';
import { AssertionError, runScenario } from './scenarios';
import { type Calls, type Page, newPage, runTemplate, sandboxApis } from './sandbox';
import { loadTemplate } from './tpl';

const template = loadTemplate();
const SDK_URL = 'https://ingest.example.com/sdk/v1/tributary.min.js';

/** A page whose SDK URL installs a window.tributary that records what the tag calls. */
function pageWithSdk(sdkUrl = SDK_URL): { page: Page; sdkCalls: unknown[][] } {
  const sdkCalls: unknown[][] = [];
  const page = newPage({
    [sdkUrl]: (window) => {
      window.tributary = {
        load: (...args: unknown[]) => void sdkCalls.push(['load', ...args]),
        track: (...args: unknown[]) => void sdkCalls.push(['track', ...args]),
      };
    },
  });
  return { page, sdkCalls };
}

/** Fires the tag on `page` with `data`, as a trigger would; returns what it called. */
function fire(page: Page, data: Record<string, unknown>, code = template.code): Calls {
  const calls: Calls = new Map();
  const require = sandboxApis(page, new Permissions(template.permissions), calls, new Map());
  runTemplate(code, data, require, calls);
  return calls;
}

const tag = { writeKey: 'wk_live_123', host: 'https://ingest.example.com', overrideAutocapture: false };

describe('GTM template: format', () => {
  it('has the sections GTM imports, for a web tag', () => {
    expect(Object.keys(template.sections)).toEqual(
      expect.arrayContaining([
        'INFO',
        'TEMPLATE_PARAMETERS',
        'SANDBOXED_JS_FOR_WEB_TEMPLATE',
        'WEB_PERMISSIONS',
        'TESTS',
      ]),
    );
    expect(template.info).toMatchObject({ type: 'TAG', containerContexts: ['WEB'] });
    const names = template.parameters.flatMap((p) => [p.name, ...(p.subParams ?? []).map((s) => s.name)]);
    expect(names).toEqual(expect.arrayContaining(['writeKey', 'host', 'pageViews', 'clicks', 'formSubmits']));
  });
});

describe('GTM template: the sandboxed code on a page', () => {
  it('injects the SDK from the configured host and loads it with the write key', () => {
    const { page, sdkCalls } = pageWithSdk();
    page.dataLayer.event = 'signup';
    const calls = fire(page, { ...tag, host: 'https://ingest.example.com/' });
    expect(page.injected).toEqual([SDK_URL]);
    expect(sdkCalls).toEqual([
      ['load', 'wk_live_123', { host: 'https://ingest.example.com' }],
      ['track', 'signup'],
    ]);
    expect(calls.get('gtmOnSuccess')).toHaveLength(1);
    expect(calls.get('gtmOnFailure')).toBeUndefined();
  });

  it('sends the dataLayer event as a track call each time the tag fires; the script loads once', () => {
    const { page, sdkCalls } = pageWithSdk();
    for (const event of ['signup', 'add_to_cart', 'purchase']) {
      page.dataLayer.event = event;
      expect(fire(page, tag).get('gtmOnSuccess')).toHaveLength(1);
    }
    expect(page.injected).toEqual([SDK_URL]);
    expect(sdkCalls.map((c) => c.slice(0, 2))).toEqual([
      ['load', 'wk_live_123'],
      ['track', 'signup'],
      ['track', 'add_to_cart'],
      ['track', 'purchase'],
    ]);
  });

  it('passes autocapture overrides to load only when asked', () => {
    const { page, sdkCalls } = pageWithSdk();
    fire(page, { ...tag, overrideAutocapture: true, pageViews: true, clicks: false, formSubmits: false });
    expect(sdkCalls[0]).toEqual([
      'load',
      'wk_live_123',
      { host: 'https://ingest.example.com', autocapture: { pageViews: true, clicks: false, formSubmits: false } },
    ]);
  });

  it('refuses to run without a write key: gtmOnFailure, nothing injected, a reason in the console', () => {
    const { page, sdkCalls } = pageWithSdk();
    page.dataLayer.event = 'signup';
    const calls = fire(page, { ...tag, writeKey: '' });
    expect(calls.get('gtmOnFailure')).toHaveLength(1);
    expect(calls.get('gtmOnSuccess')).toBeUndefined();
    expect(page.injected).toEqual([]);
    expect(sdkCalls).toEqual([]);
    expect(String(page.console[0])).toMatch(/no write key/);
  });
});

describe('GTM template: permissions are enforced', () => {
  it('a host outside the inject_script pattern fails the tag before any script is created', () => {
    const other = 'https://evil.example.net/sdk/v1/tributary.min.js';
    const { page } = pageWithSdk(other);
    expect(() => fire(page, { ...tag, host: 'https://evil.example.net' })).toThrow(PermissionError);
    expect(page.injected).toEqual([]);
  });

  it.each([
    ['reading another dataLayer key', "require('copyFromDataLayer')('ecommerce.items');"],
    ['calling another global', "require('callInWindow')('alert', 'hi');"],
    ['reading a global it only executes', "require('copyFromWindow')('tributary.track');"],
    ['injecting a script elsewhere on the host', "require('injectScript')('https://ingest.example.com/other.js');"],
  ])('%s fails', (_what, code) => {
    const { page } = pageWithSdk();
    expect(() => fire(page, tag, code)).toThrow(PermissionError);
  });
});

describe('GTM template: its ___TESTS___ scenarios', () => {
  it('declares scenarios', () => {
    expect(template.scenarios.length).toBeGreaterThanOrEqual(5);
  });

  it.each(template.scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    expect(() => runScenario(template, scenario)).not.toThrow();
  });

  it('a scenario whose expectation is wrong fails', () => {
    const wrong = {
      name: 'wrong host',
      code: "runCode(mockData);\nassertApi('callInWindow').wasCalledWith('tributary.load', 'wk_gtm_test', { host: 'https://other.example.com' });",
    };
    expect(() => runScenario(template, wrong)).toThrow(AssertionError);
  });
});
