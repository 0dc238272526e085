import type { LoadOptions } from './types';

/** The loader script path ingest serves; `v1` changes only with an incompatible API. */
export const SDK_PATH = '/sdk/v1/tributary.min.js';

const STUB_METHODS = ['load', 'identify', 'track', 'page', 'group', 'alias', 'reset', 'ready', 'consent', 'flush'];

/**
 * The copy-paste snippet for a page's <head>: a `window.tributary` stub that queues calls until the SDK
 * loads (async, so it never blocks rendering), then `load(writeKey, options)`. No DOM types here: Node
 * code (the dev demo, tests) renders it too.
 */
export function snippet(host: string, writeKey: string, options: LoadOptions = {}): string {
  const origin = host.replace(/\/+$/, '');
  const load = JSON.stringify([writeKey, { host: origin, ...options }]).replace(/</g, '\\u003c');
  return `<script>
!function(w,d){var t=w.tributary=w.tributary||[];if(t.invoked)return;t.invoked=!0;
${JSON.stringify(STUB_METHODS)}.forEach(function(m){t[m]=function(){t.push([m].concat([].slice.call(arguments)));return t}});
var s=d.createElement("script");s.async=!0;s.src=${JSON.stringify(origin + SDK_PATH)};d.head.appendChild(s);
t.load.apply(t,${load})}(window,document);
</script>`;
}
