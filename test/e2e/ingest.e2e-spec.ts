import { listRoutes, type RegisteredRoute, RoutePolicyError } from '@app/http';
import { TemporalClientService } from '@app/temporal';
import { DataSource } from 'typeorm';
import { closeGracefully } from '../../apps/ingest/src/graceful-stop';
import { migrateFresh, requiredEnv } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';

// apps/ingest, the public edge, over real HTTP against the test Postgres and Temporal dev server.
describe('ingest', () => {
  let ingest: TestIngest;
  let routes: RegisteredRoute[] = [];
  let unguarded: unknown;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    ingest = await startTestIngest({ LOG_LEVEL: 'info' }, (fastify) => {
      routes = listRoutes(fastify);
      // Default deny is in force before Nest registers anything: a route without a policy is refused.
      try {
        fastify.get('/probe-without-policy', () => 'open');
      } catch (error) {
        unguarded = error;
      }
    });
  });
  afterAll(() => ingest?.close());

  it('is live, and ready when Postgres and Temporal answer', async () => {
    const live = await fetch(`${ingest.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${ingest.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, temporal: { status: 'up' } },
    });
  });

  it('answers 503 naming Temporal when it is down, while staying live', async () => {
    const cut = await startTestIngest({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    try {
      const ready = await fetch(`${cut.url}/health/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { error: Record<string, { status: string; message?: string }> };
      expect(body.error.temporal).toMatchObject({ status: 'down', message: expect.stringMatching(/^Temporal is not/) });
      expect(body.error.postgres).toBeUndefined();
      expect((await fetch(`${cut.url}/health/live`)).status).toBe(200);
    } finally {
      await cut.close();
    }
  });

  it('refuses routes without a policy, and every route it serves has one (HEAD and OPTIONS included)', () => {
    expect(unguarded).toBeInstanceOf(RoutePolicyError);
    expect(routes.map((r) => `${r.method} ${r.url} ${r.auth}`).sort()).toEqual([
      'GET /health/live public',
      'GET /health/ready public',
      'GET /sdk/v1/tributary.min.js public',
      'GET /sourceConfig writeKey',
      'GET /sourceConfig/ writeKey',
      'GET /v1/projects/:writeKey/settings writeKey',
      'HEAD /health/live public',
      'HEAD /health/ready public',
      'HEAD /sdk/v1/tributary.min.js public',
      'HEAD /sourceConfig writeKey',
      'HEAD /sourceConfig/ writeKey',
      'HEAD /v1/projects/:writeKey/settings writeKey',
      'OPTIONS /sourceConfig public',
      'OPTIONS /sourceConfig/ public',
      'OPTIONS /v1/* public',
      ...[...'abgipst', 'alias', 'batch', 'group', 'identify', 'import', 'page', 'screen', 'track']
        .map((call) => `POST /v1/${call} writeKey`)
        .sort(),
      // One signed route per cloud app with webhooks (their connector definitions say so).
      'POST /webhooks/hubspot/:sourceId signature',
      'POST /webhooks/shopify/:sourceId signature',
      'POST /webhooks/stripe/:sourceId signature',
    ]);
  });

  it('answers unknown routes with a JSON 404 that says why', async () => {
    for (const [method, path] of [
      ['GET', '/v1/track'],
      ['POST', '/webhooks/salesforce/abc'],
      ['OPTIONS', '/health/live'],
    ]) {
      const res = await fetch(`${ingest.url}${path}`, { method });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ statusCode: 404, message: expect.stringContaining(path) });
    }
  });

  it('echoes a sane X-Request-Id and logs the request with it', async () => {
    const res = await fetch(`${ingest.url}/nowhere`, { headers: { 'x-request-id': 'req-ingest-1' } });
    expect(res.headers.get('x-request-id')).toBe('req-ingest-1');
    const generated = (await fetch(`${ingest.url}/health/live`, { headers: { 'x-request-id': 'bad id!' } })).headers;
    expect(generated.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const line = ingest.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-ingest-1');
    expect(line).toMatchObject({ msg: 'request completed', res: { statusCode: 404 } });
  });
});

describe('ingest shutdown', () => {
  it('lets a request in flight finish using the database and Temporal before closing them', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const ingest = await startTestIngest({}, (fastify) => {
      // Stands in for a tracking or webhook request: waits, then writes to Postgres and calls Temporal.
      fastify.get('/slow', { config: { auth: 'public' } }, async () => {
        arrived();
        await held;
        await ingest.app.get(DataSource).query('SELECT 1');
        await ingest.app.get(TemporalClientService).ping();
        return { done: true };
      });
    });
    const answer = fetch(`${ingest.url}/slow`);
    await reached;
    const closed = closeGracefully(ingest.app, 10_000);
    await new Promise((r) => setTimeout(r, 300)); // shutdown is under way, waiting for the request
    release();
    const res = await answer;
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { done: true } });
    expect(await closed).toBe(true);
  });
});
