// Bundles the installed @segment/analytics-next (a devDependency) for the browser, as a site's build
// would, with the webpack the project already has (no esbuild here), for the browser tests and the
// `npm run dev` demo page. The page gets `window.AnalyticsBrowser`; analytics-next's lazy chunks
// (destinations, middleware) are emitted beside it, though the settings ingest serves load none.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import webpack from 'webpack';

export const BUNDLE_FILE = 'analytics.js';

/** Builds into a fresh temporary directory and returns it; rejects with webpack's errors. */
export async function bundleAnalyticsNext(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'analytics-next-'));
  const entry = join(dir, 'entry.mjs');
  writeFileSync(
    entry,
    "import { AnalyticsBrowser } from '@segment/analytics-next';\nwindow.AnalyticsBrowser = AnalyticsBrowser;\n",
  );
  const compiler = webpack({
    mode: 'production',
    target: 'web',
    entry,
    devtool: false,
    context: dir,
    resolve: { modules: [resolve(__dirname, '../../node_modules')] },
    output: { path: join(dir, 'assets'), filename: BUNDLE_FILE, publicPath: '/assets/' },
    performance: { hints: false },
  });
  await new Promise<void>((done, fail) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error || stats?.hasErrors()) {
        fail(error ?? new Error(stats?.toString({ all: false, errors: true })));
        return;
      }
      done();
    });
  });
  return join(dir, 'assets');
}
