import { createTributary, METHODS } from './api';

type Stub = unknown[] & { invoked?: boolean };

/**
 * The served script (`/sdk/v1/tributary.min.js`): replaces the snippet's queueing stub on `window.tributary`
 * with the SDK and replays the queued calls in order. Events go by default to the origin the script was
 * loaded from, so a page (or Google Tag Manager) needs only the write key.
 */
(function install(): void {
  try {
    const w = window as unknown as { tributary?: Stub | Record<string, unknown> };
    const existing = w.tributary;
    if (existing && !Array.isArray(existing) && existing.installed) {
      return; // loaded twice: the first copy keeps its state
    }
    const script = document.currentScript as HTMLScriptElement | null;
    const api = createTributary(script?.src ? new URL(script.src).origin : location.origin);
    Object.assign(api, { invoked: true, installed: true });
    w.tributary = api as unknown as Record<string, unknown>;
    for (const call of Array.isArray(existing) ? existing : []) {
      const [method, ...args] = call as [string, ...unknown[]];
      if ((METHODS as readonly string[]).includes(method)) {
        (api[method as (typeof METHODS)[number]] as (...a: unknown[]) => unknown)(...args);
      }
    }
  } catch (error) {
    console.warn('tributary failed to install', error);
  }
})();
