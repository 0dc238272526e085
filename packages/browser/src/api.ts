import { Client } from './client';
import type { CallOptions, LoadOptions, Properties } from './types';

/** The public surface: `window.tributary` once the script has loaded, and what `createTributary` returns. */
export interface Tributary {
  load(writeKey: string, options?: LoadOptions): void;
  identify(userId?: string | Properties | null, traits?: Properties, options?: CallOptions): void;
  track(event: string, properties?: Properties, options?: CallOptions): void;
  page(name?: string | Properties, properties?: Properties, options?: CallOptions): void;
  group(groupId: string, traits?: Properties, options?: CallOptions): void;
  alias(userId: string, previousId?: string, options?: CallOptions): void;
  reset(): void;
  ready(callback: () => void): void;
  consent(granted: boolean): void;
  flush(): Promise<void>;
}

export const METHODS = [
  'load',
  'identify',
  'track',
  'page',
  'group',
  'alias',
  'reset',
  'ready',
  'consent',
  'flush',
] as const satisfies readonly (keyof Tributary)[];

/**
 * Wraps every method so that the SDK never throws into the page: a failure is reported once on the
 * console and the call is dropped. `defaultHost` is where events go unless `load` names a host.
 */
export function createTributary(defaultHost = ''): Tributary {
  const client = new Client(defaultHost);
  const api = {} as Record<string, unknown>;
  for (const method of METHODS) {
    api[method] = (...args: unknown[]): unknown => {
      try {
        const result = (client[method] as (...a: unknown[]) => unknown)(...args);
        return method === 'flush' ? result : undefined;
      } catch (error) {
        console.warn(`tributary.${method} failed`, error);
        return method === 'flush' ? Promise.resolve() : undefined;
      }
    };
  }
  return api as unknown as Tributary;
}
