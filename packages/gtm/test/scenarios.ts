// GTM's template test API (mock, assertApi, assertThat, runCode, fail) for the ___TESTS___ scenarios,
// over the permission-checked runtime: a scenario runs as GTM's editor runs it, setup code first.
import { runInNewContext } from 'node:vm';
import { Permissions } from './permissions';
import { type Calls, newPage, runTemplate, sandboxApis } from './sandbox';
import type { Scenario, Template } from './tpl';

type Fn = (...args: any[]) => unknown;

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  ) ?? 'undefined';

function check(ok: boolean, message: string): void {
  if (!ok) {
    throw new AssertionError(message);
  }
}

function assertThat(actual: unknown) {
  const shown = canonical(actual);
  return {
    isEqualTo: (expected: unknown) =>
      check(canonical(expected) === shown, `expected ${canonical(expected)}, got ${shown}`),
    isNotEqualTo: (expected: unknown) => check(canonical(expected) !== shown, `expected anything but ${shown}`),
    isDefined: () => check(actual !== undefined, 'expected a value, got undefined'),
    isUndefined: () => check(actual === undefined, `expected undefined, got ${shown}`),
    isTrue: () => check(actual === true, `expected true, got ${shown}`),
    isFalse: () => check(actual === false, `expected false, got ${shown}`),
  };
}

function assertApi(calls: Calls, name: string) {
  const seen = (): unknown[][] => calls.get(name) ?? [];
  const withArgs = (args: unknown[]): boolean => seen().some((c) => canonical(c) === canonical(args));
  return {
    wasCalled: () => check(seen().length > 0, `${name} was not called`),
    wasNotCalled: () => check(seen().length === 0, `${name} was called ${seen().length} time(s)`),
    wasCalledWith: (...args: unknown[]) =>
      check(withArgs(args), `${name} was not called with ${canonical(args)}; calls: ${canonical(seen())}`),
    wasNotCalledWith: (...args: unknown[]) => check(!withArgs(args), `${name} was called with ${canonical(args)}`),
  };
}

/** Runs one scenario; throws AssertionError, PermissionError or the template's own error when it fails. */
export function runScenario(template: Template, scenario: Scenario): void {
  const calls: Calls = new Map();
  const mocks = new Map<string, Fn>();
  const require = sandboxApis(newPage(), new Permissions(template.permissions), calls, mocks);
  const api = {
    mock: (name: string, impl: Fn) => void mocks.set(name, impl),
    assertApi: (name: string) => assertApi(calls, name),
    assertThat,
    runCode: (data: Record<string, unknown>) => runTemplate(template.code, data, require, calls),
    fail: (message: string) => check(false, message),
    require,
  };
  const names = Object.keys(api);
  const body = `(function (${names.join(', ')}) {\n${template.setup}\n${scenario.code}\n})`;
  const run = runInNewContext(body, {}, { filename: `scenario: ${scenario.name}` }) as Fn;
  run(...names.map((n) => api[n as keyof typeof api]));
}
