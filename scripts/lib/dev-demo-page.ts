// `npm run dev`'s demo page: a static site on its own origin that loads the real analytics-next with only
// `cdnURL` pointing at ingest, sends a page call on load and a track or identify per click, and shows
// each outcome. Its origin is in the demo source's allowedOrigins (dev-demo-source.ts).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';
import { BUNDLE_FILE } from './analytics-next-bundle';

export interface DemoPageOptions {
  /** Where webpack wrote the analytics-next bundle (bundleAnalyticsNext). */
  assets: string;
  ingestUrl: string;
  writeKey: string;
}

/** Serves `/` (the page) and `/assets/*` (the bundle); listens on host:port. */
export async function startDemoPage(host: string, port: number, options: DemoPageOptions): Promise<Server> {
  const page = demoHtml(options.ingestUrl, options.writeKey);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    if (path === '/') {
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
