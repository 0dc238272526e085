import { getIntrospectionQuery } from 'graphql';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';

describe('secrets and limits', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    // The most verbose level: if a secret were logged anywhere, it would be here.
    api = await startTestApi({ LOG_LEVEL: 'trace' });
    token = (await api.createWorkspace('Secrets')).adminToken;
  });
  afterAll(() => api.close());

  it('never returns or logs credentials, write keys or tokens', async () => {
    const credential = 'sk_test_NeverLogThisValue42';
    const stripe = (
      await gql<any>(
        api.url,
        op.CREATE_SOURCE,
        { input: { name: 'pay', kind: 'STRIPE', environment: 'PRODUCTION' } },
        token,
      )
    ).data.createSource;
    const set = await gql(
      api.url,
      op.SET_CREDENTIALS,
      { input: { sourceId: stripe.id, stripe: { secretKey: credential } } },
      token,
      { 'x-request-id': 'set-creds-1' },
    );
    expect(set.errors).toBeUndefined();
    const web = (
      await gql<any>(
        api.url,
        op.CREATE_SOURCE,
        { input: { name: 'web', kind: 'JAVASCRIPT', environment: 'PRODUCTION' } },
        token,
      )
    ).data.createSource;
    const writeKey = (await gql<any>(api.url, op.ISSUE_WRITE_KEY, { sourceId: web.id }, token)).data.issueWriteKey
      .secret;
    const listed = await gql(api.url, op.SOURCES, {}, token);
    const introspection = await gql(api.url, getIntrospectionQuery(), {}, token);

    for (const body of [listed, introspection].map((r) => JSON.stringify(r.data))) {
      expect(body).not.toContain(credential);
      expect(body).not.toContain(writeKey.slice(16));
    }
    expect(JSON.stringify(introspection.data)).not.toMatch(/"name":"(secretKey|sealed|secretHash)"[^}]*"args"/);

    expect(api.logs.length).toBeGreaterThan(5);
    const all = api.logs.join('\n');
    expect(all).not.toContain(credential);
    expect(all).not.toContain(writeKey.slice(16));
    expect(all).not.toContain(token.slice(40));
    // Request lines carry the request id the client sent (and the response echoes it).
    expect(set.headers.get('x-request-id')).toBe('set-creds-1');
    const lines = api.logs.map((l) => JSON.parse(l) as { requestId?: string; req?: { url?: string } });
    expect(lines.filter((l) => l.requestId === 'set-creds-1').length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.req?.url === '/graphql').every((l) => typeof l.requestId === 'string')).toBe(true);
  });

  it('serves introspection only with a valid token, and tags every error with the request id', async () => {
    const anonymous = await gql(api.url, getIntrospectionQuery(), {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.data).toBeUndefined();
    const probe = await gql(api.url, '{ __type(name: "Source") { fields { name } } }', {});
    expect(probe.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const res = await gql<any>(api.url, getIntrospectionQuery(), {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.queryType.name).toBe('Query');
    const denied = await gql(api.url, op.SOURCES, {});
    expect(denied.errors?.[0].extensions?.requestId).toBe(denied.headers.get('x-request-id'));
  });

  it('rejects queries that are too deep, malformed or too large', async () => {
    const deep = `{ sources { edges { node { trackingConfig { autocapture { pageViews } } } } } }`;
    const shallowApi = await startTestApi({ GRAPHQL_MAX_DEPTH: '4', HTTP_BODY_LIMIT_BYTES: '2048' });
    try {
      const tooDeep = await gql(shallowApi.url, deep, {}, token);
      expect(tooDeep.errors?.[0]).toMatchObject({
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        message: expect.stringContaining('exceeds the limit of 4'),
      });
      const parse = await gql(shallowApi.url, '{ sources { ', {}, token);
      expect(parse.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      const big = await fetch(`${shallowApi.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ sources { totalCount } } # ${'x'.repeat(4096)}` }),
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { message: string }).message).toMatch(/too large/i);
    } finally {
      await shallowApi.close();
    }
  });

  it('refuses a GET mutation and a text/plain POST (CSRF prevention)', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: '{"query":"{ __typename }"}',
    });
    expect(res.status).toBe(400);
  });
});
