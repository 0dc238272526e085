// `npm run dev`'s demo pages, a static site on its own origin (in the demo source's allowedOrigins,
// dev-demo-source.ts): `/` pastes Tributary's own snippet (the README quickstart), which loads the SDK from
// ingest; `/analytics-next` loads the real analytics-next with only `cdnURL` pointing at ingest.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';
import { snippet } from '../../packages/browser/src/snippet';
import { BUNDLE_FILE } from './analytics-next-bundle';

/** Where the analytics-next variant of the demo is. */
export const ANALYTICS_NEXT_DEMO_PATH = '/analytics-next';

export interface DemoPageOptions {
  /** Where webpack wrote the analytics-next bundle (bundleAnalyticsNext). */
  assets: string;
  ingestUrl: string;
  writeKey: string;
}

/**
 * Serves `/` and the SPA paths under it (the SDK demo), `/analytics-next` and `/assets/*` (its bundle);
 * listens on host:port.
 */
export async function startDemoPage(host: string, port: number, options: DemoPageOptions): Promise<Server> {
  const pages: Record<string, string> = {
    [ANALYTICS_NEXT_DEMO_PATH]: demoHtml(options.ingestUrl, options.writeKey),
    '/': sdkDemoHtml(options.ingestUrl, options.writeKey),
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    const page = pages[path] ?? (path.startsWith('/app/') ? pages['/'] : undefined);
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
      return;
    }
    if (path.startsWith('/assets/') && path.endsWith('.js')) {
      try {
        res
          .writeHead(200, { 'content-type': 'text/javascript' })
          .end(readFileSync(join(options.assets, basename(path))));
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  return server;
}

function demoHtml(ingestUrl: string, writeKey: string): string {
  const config = JSON.stringify({ writeKey, cdnURL: ingestUrl }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Tributary demo</title>
<script src="/assets/${BUNDLE_FILE}"></script></head>
<body>
<h1>Tributary demo page</h1>
<p>analytics-next, configured with only <code>cdnURL</code> = ${ingestUrl}, sends to the "Demo web" source.</p>
<button id="track">track "Demo Clicked"</button> <button id="identify">identify demo-user</button>
<pre id="log"></pre>
<script>
  const config = ${config};
  const analytics = window.AnalyticsBrowser.load(config);
  const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
  const report = (name, call) => call.then(
    (ctx) => log(name + ': ' + (ctx.failedDelivery() ? 'failed ' + ctx.failedDelivery().reason : 'stored')),
    (error) => log(name + ': refused ' + error),
  );
  report('page', analytics.page());
  document.getElementById('track').onclick = () => report('track', analytics.track('Demo Clicked', { at: Date.now() }));
  document.getElementById('identify').onclick = () => report('identify', analytics.identify('demo-user', { plan: 'demo' }));
</script>
</body></html>
`;
}

/** The quickstart page: the snippet as the README shows it, clicks and forms autocaptured. */
function sdkDemoHtml(ingestUrl: string, writeKey: string): string {
  const loader = snippet(ingestUrl, writeKey, { autocapture: { clicks: true, formSubmits: true } });
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Tributary SDK demo</title>
${loader}
</head>
<body>
<h1>Tributary SDK demo</h1>
<p>This page pastes Tributary's snippet (write key of the "Demo web" source); the SDK comes from
${ingestUrl}/sdk/v1/tributary.min.js. Click around, then query <code>sourceEvents</code> in GraphiQL.</p>
<button id="track" onclick="tributary.track('Demo Clicked', { at: Date.now() })">track "Demo Clicked"</button>
<button id="identify" onclick="tributary.identify('demo-user', { plan: 'demo' })">identify demo-user</button>
<button id="navigate" onclick="history.pushState({}, '', '/app/' + Date.now())">SPA navigation</button>
<form id="signup" onsubmit="event.preventDefault()">
  <input name="email" value="ada@example.com"> <input type="password" name="password" value="never sent">
  <button type="submit" id="submit">Sign up (the password is never captured)</button>
</form>
<p data-tributary-ignore><button id="ignored">Not recorded (data-tributary-ignore)</button></p>
<p><a href="${ANALYTICS_NEXT_DEMO_PATH}">The same source through analytics-next</a></p>
</body></html>
`;
}
