// The config fetches existing SDKs make before sending, against the real ingest app and Postgres:
// analytics-next's `/v1/projects/<writeKey>/settings` and RudderStack's `/sourceConfig`. (The browser tier
// runs the real analytics-next against the same route.)
import { WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind, SourceStatus } from '@app/common';
import { SourcesService, WriteKeysService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { startCoreApp } from '../utils/core-app';
import { migrateFresh, requiredEnv } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';

const PUBLIC_URL = 'https://events.example.com:8443';
const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe('SDK config endpoints (ingest)', () => {
  let core: INestApplicationContext;
  let ingest: TestIngest;
  let workspaceId: string;

  async function createSource(name: string, kind = SourceKind.JAVASCRIPT): Promise<{ id: string; key: string }> {
    const source = await core.get(SourcesService).create(workspaceId, {
      name,
      kind,
      environment: SourceEnvironment.PRODUCTION,
      trackingConfig: {
        allowedOrigins: ['https://shop.example.com'],
        autocapture: { pageViews: true, clicks: true, formSubmits: false },
      },
    });
    return { id: source.id, key: (await core.get(WriteKeysService).issue(workspaceId, source.id)).secret };
  }

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${ingest.url}${path}`, { headers });

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    core = await startCoreApp();
    ingest = await startTestIngest({ INGEST_PUBLIC_URL: PUBLIC_URL, LOG_LEVEL: 'info' });
    workspaceId = (await core.get(WorkspacesService).create(`Config ${randomUUID()}`)).workspace.id;
  });
  afterAll(async () => {
    await ingest?.close();
    await core?.close();
  });

  it('serves analytics-next the settings that send to INGEST_PUBLIC_URL, with the source’s autocapture', async () => {
    const web = await createSource('web');
    const res = await get(`/v1/projects/${web.key}/settings`, { origin: 'https://shop.example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const settings = (await res.json()) as any;
    expect(settings.integrations).toEqual({
      'Segment.io': expect.objectContaining({
        apiKey: web.key,
        apiHost: 'events.example.com:8443/v1',
        protocol: 'https',
      }),
    });
    expect(settings.autocapture).toEqual({ pageViews: true, clicks: true, formSubmits: false });
    // analytics-next's own telemetry would go to Segment: off, and pointed at us anyway.
    expect(settings.metrics).toEqual({ sampleRate: 0, host: 'events.example.com:8443/v1' });
  });

  it('serves RudderStack’s sourceConfig for a Basic key (mobile) and a ?writeKey= with a preflight (JS)', async () => {
    const app = await createSource('app', SourceKind.IOS);
    const mobile = await get('/sourceConfig?p=ios&v=1.0.0', { authorization: basic(app.key) });
    expect(mobile.status).toBe(200);
    expect(await mobile.json()).toEqual({
      isHosted: false,
      source: {
        id: app.id,
        name: 'app',
        writeKey: app.key,
        workspaceId,
        enabled: true,
        updatedAt: expect.any(String),
        config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
        destinations: [],
        dataplanes: { US: [{ url: PUBLIC_URL, default: true }] },
      },
    });
    const preflight = await fetch(`${ingest.url}/sourceConfig/?writeKey=x`, {
      method: 'OPTIONS',
      headers: { origin: 'https://anyone.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const js = await get(`/sourceConfig/?p=npm&v=3.0.0&writeKey=${app.key}&lockIntegrationsVersion=false`);
    expect(js.status).toBe(200);
    expect(((await js.json()) as any).source.id).toBe(app.id);
  });

  it('refuses with a reason: no key, an unknown key, a paused source, a foreign Origin', async () => {
    const paused = await createSource('paused');
    await core.get(SourcesService).setStatus(workspaceId, paused.id, SourceStatus.PAUSED);
    const web = await createSource('web 2');
    const cases: [string, Record<string, string>, number, string][] = [
      ['/sourceConfig', {}, 401, 'Send the source’s write key'],
      ['/v1/projects/trb_wk_unknown/settings', {}, 401, 'Unknown, revoked or expired write key'],
      [`/v1/projects/${paused.key}/settings`, {}, 403, 'The source is paused'],
      ['/sourceConfig', { authorization: basic(paused.key) }, 403, 'The source is paused'],
      [`/v1/projects/${web.key}/settings`, { origin: 'https://evil.example' }, 403, 'Origin https://evil.example'],
    ];
    for (const [path, headers, status, reason] of cases) {
      const res = await get(path, headers);
      const body = (await res.json()) as { error?: string };
      expect({ path, status: res.status, error: body.error }).toEqual({
        path,
        status,
        error: expect.stringContaining(reason),
      });
      expect(JSON.stringify(body)).not.toContain(paused.key);
    }
  });

  it('never logs a key that came in the URL, as a path segment or a query parameter', async () => {
    const web = await createSource('logged');
    await get(`/v1/projects/${web.key}/settings`);
    await get(`/sourceConfig/?writeKey=${web.key}`);
    const lines = ingest.logs.filter((line) => line.includes('/v1/projects/') || line.includes('/sourceConfig'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(ingest.logs.filter((line) => line.includes(web.key))).toEqual([]);
  });
});
