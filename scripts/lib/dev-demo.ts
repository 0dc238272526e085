// `npm run dev`'s demo: the "Demo web" source (its allowedOrigins include the demo page's origin), the
// browser SDK built for ingest to serve, and the demo pages, served until the stack stops.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleAnalyticsNext } from './analytics-next-bundle';
import { buildBrowserSdk } from './browser-sdk-build';
import type { ServiceAddress } from './dev-address';
import { ensureDemoSource } from './dev-demo-source';
import { startDemoPage } from './dev-demo-page';
import type { Run } from './dev-run';

export async function startDemo(
  run: Run,
  page: ServiceAddress,
  urls: { api: string; ingestPublic: string },
  token: string,
  dataDir: string,
): Promise<void> {
  const origin = new URL(page.url).origin;
  const keyFile = join(dataDir, 'dev-demo-write-key');
  const source = await ensureDemoSource({ api: urls.api, ingest: urls.ingestPublic }, token, origin, keyFile);
  // Ingest reads the file when asked, so building it now is enough (no restart).
  await buildBrowserSdk({ declarations: false });
  const assets = await bundleAnalyticsNext();
  run.stack.addCleanup(() => rmSync(dirname(assets), { recursive: true, force: true }));
  const server = await startDemoPage(page.host, page.port, {
    assets,
    ingestUrl: urls.ingestPublic,
    writeKey: source.writeKey,
  });
  run.stack.addCleanup(() => server.close());
}
