// A GTM web-template runtime for tests: the sandboxed APIs the template requires, each checking the
// declared permissions on every call, over a small model of the page (window globals, the dataLayer's
// current values, the scripts a URL would run).
import { runInNewContext } from 'node:vm';
import type { Permissions } from './permissions';

type Fn = (...args: any[]) => unknown;

/** The page the tag runs in. */
export interface Page {
  window: Record<string, any>;
  /** The dataLayer's current state, by key (`copyFromDataLayer` reads dotted paths of it). */
  dataLayer: Record<string, unknown>;
  /** What loading a URL runs in the page; a URL not here fails to load. */
  scripts: Record<string, (window: Record<string, any>) => void>;
  /** Script elements created, in order. */
  injected: string[];
  /** templateStorage: lives as long as the page. */
  storage: Map<string, unknown>;
  /** injectScript's cache tokens: a script loads once per page, later callers hear its outcome. */
  cached: Map<string, 'loaded' | 'failed'>;
  console: unknown[][];
}

export function newPage(scripts: Page['scripts'] = {}, dataLayer: Page['dataLayer'] = {}): Page {
  return { window: {}, dataLayer, scripts, injected: [], storage: new Map(), cached: new Map(), console: [] };
}

/** Every API call (and gtmOnSuccess/gtmOnFailure) with its arguments, for assertions. */
export type Calls = Map<string, unknown[][]>;

function path(root: Record<string, any>, dotted: string): { owner: any; value: any } {
  let owner: any;
  let value: any = root;
  for (const part of dotted.split('.')) {
    owner = value;
    value = value === null || value === undefined ? undefined : value[part];
  }
  return { owner, value };
}

/** The sandboxed APIs, permission-checked, over `page`. `mocks` (from ___TESTS___) replace implementations. */
export function sandboxApis(page: Page, permissions: Permissions, calls: Calls, mocks: Map<string, Fn>): Fn {
  const apis: Record<string, { check: (...args: any[]) => void; impl: Fn }> = {
    injectScript: {
      check: (url: string) => permissions.injectScript(url),
      impl: (url: string, onSuccess?: Fn, onFailure?: Fn, cacheToken?: string) => {
        const known = cacheToken === undefined ? undefined : page.cached.get(cacheToken);
        let outcome = known;
        if (!outcome) {
          page.injected.push(url);
          const script = page.scripts[url] as Page['scripts'][string] | undefined;
          script?.(page.window);
          outcome = script ? 'loaded' : 'failed';
          if (cacheToken !== undefined) {
            page.cached.set(cacheToken, outcome);
          }
        }
        (outcome === 'loaded' ? onSuccess : onFailure)?.();
      },
    },
    copyFromWindow: {
      check: (key: string) => permissions.global(key, 'read'),
      impl: (key: string) => structuredCopy(path(page.window, key).value),
    },
    callInWindow: {
      check: (key: string) => permissions.global(key, 'execute'),
      impl: (key: string, ...args: unknown[]) => {
        const { owner, value } = path(page.window, key);
        if (typeof value !== 'function') {
          throw new Error(`callInWindow(${key}): not a function`);
        }
        return (value as Fn).apply(owner, args);
      },
    },
    copyFromDataLayer: {
      check: (key: string) => permissions.dataLayer(key),
      impl: (key: string) => structuredCopy(path(page.dataLayer, key).value),
    },
    logToConsole: {
      check: () => permissions.logging(),
      impl: (...args: unknown[]) => void page.console.push(args),
    },
  };
  const record = (name: string, args: unknown[]): void => {
    calls.set(name, [...(calls.get(name) ?? []), args]);
  };
  const templateStorage = {
    getItem: (key: string) => (permissions.templateStorage(), page.storage.get(key)),
    setItem: (key: string, value: unknown) => (permissions.templateStorage(), void page.storage.set(key, value)),
    removeItem: (key: string) => (permissions.templateStorage(), void page.storage.delete(key)),
    clear: () => (permissions.templateStorage(), page.storage.clear()),
  };
  return (name: string) => {
    if (name === 'templateStorage') {
      return templateStorage;
    }
    const api = apis[name];
    if (!api) {
      throw new Error(`require('${name}'): this runtime has no such API`);
    }
    return (...args: unknown[]) => {
      record(name, args);
      api.check(...args);
      return (mocks.get(name) ?? api.impl)(...args);
    };
  };
}

/** copyFrom* hand the sandbox a copy, never the page's own object (GTM does the same). */
function structuredCopy(value: unknown): unknown {
  return typeof value === 'function' || value === undefined ? value : (JSON.parse(JSON.stringify(value)) as unknown);
}

/**
 * Runs the template's sandboxed code once (one tag firing) in a fresh V8 context: it sees `require` and
 * `data` only. gtmOnSuccess and gtmOnFailure are recorded; a throw is GTM's tag failure.
 */
export function runTemplate(code: string, data: Record<string, unknown>, require: Fn, calls: Calls): void {
  const tag = runInNewContext(`(function (require, data) {\n${code}\n})`, {}, { filename: 'tributary.tpl' }) as Fn;
  const callback = (name: string) => () => void calls.set(name, [...(calls.get(name) ?? []), []]);
  tag(require, { ...data, gtmOnSuccess: callback('gtmOnSuccess'), gtmOnFailure: callback('gtmOnFailure') });
}
