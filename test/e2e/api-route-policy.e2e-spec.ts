import { listRoutes, type RegisteredRoute } from '@app/http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { testConfig } from '../utils/test-config';

/** The real api, with the route list recorded from before the first route was registered. */
async function bootRecording(
  env: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string; routes: RegisteredRoute[] }> {
  let routes: RegisteredRoute[] = [];
  const app = await createApiApp({
    config: testConfig(env),
    beforeRoutes: (fastify) => (routes = listRoutes(fastify)),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), routes };
}

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('api route policy (default deny)', () => {
  let api: Awaited<ReturnType<typeof bootRecording>>;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await bootRecording();
  });
  afterAll(() => api.app.close());

  it('gives every route Fastify registered a policy: Apollo, GraphiQL and its assets, OPTIONS, HEAD, health', () => {
    const table = api.routes.map((r) => `${r.method} ${r.url} ${r.auth}`).sort();
    expect(api.routes.filter((r) => r.auth === undefined)).toEqual([]);
    expect(table).toEqual(
      expect.arrayContaining([
        'GET /graphql apiToken',
        'POST /graphql apiToken',
        'HEAD /graphql apiToken',
        'OPTIONS /graphql apiToken',
        'GET /graphql public', // the GraphiQL page, for browsers asking for HTML
        'HEAD /graphql public',
        'GET /graphiql/assets/:name public',
        'HEAD /graphiql/assets/:name public',
        'GET /health/live public',
        'HEAD /health/live public',
        'GET /health/ready public',
        'HEAD /health/ready public',
      ]),
    );
    expect(table).toHaveLength(12);
  });

  it('serves the public routes without a token and refuses everything else', async () => {
    const page = await fetch(`${api.url}/graphql`, { headers: html });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Tributary GraphiQL');
    expect((await fetch(`${api.url}/graphiql/assets/graphiql.min.css`)).status).toBe(200);
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${api.url}/nope`)).status).toBe(404);

    // A browser GET carrying a query is a GraphQL request, not the page.
    const getQuery = await fetch(`${api.url}/graphql?query=%7B__typename%7D`, { headers: html });
    expect(getQuery.status).toBe(401);
    expect((await fetch(`${api.url}/graphql`, { method: 'HEAD' })).status).toBe(401);
    const post = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.status).toBe(401);
    expect(post.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await post.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0].message).toMatch(/Send an API token as "Authorization: Bearer trb_…"/);
  });

  it('asks a preflight for the token too: no CORS is configured, so there is nothing to allow', async () => {
    expect((await fetch(`${api.url}/graphql`, { method: 'OPTIONS' })).status).toBe(401);
  });

  it('drops the GraphiQL routes when GRAPHIQL_ENABLED=false: browsers then get Apollo, which wants a token', async () => {
    const off = await bootRecording({ GRAPHIQL_ENABLED: 'false' });
    try {
      expect(off.routes.filter((r) => r.url.startsWith('/graphiql') || r.auth === undefined)).toEqual([]);
      expect(off.routes.filter((r) => r.auth === 'public').map((r) => r.url)).toEqual([
        '/health/live',
        '/health/live',
        '/health/ready',
        '/health/ready',
      ]);
      expect((await fetch(`${off.url}/graphql`, { headers: html })).status).toBe(401);
    } finally {
      await off.app.close();
    }
  });
});
