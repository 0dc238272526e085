import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';

describe('authorization', () => {
  let api: TestApi;
  let admin: string;
  let integrator: string;
  let otherAdmin: string;
  let jsId: string;
  let stripeId: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    admin = (await api.createWorkspace('A')).adminToken;
    otherAdmin = (await api.createWorkspace('B')).adminToken;
    integrator = (await gql<any>(api.url, op.CREATE_API_TOKEN, { name: 'ci', role: 'INTEGRATOR' }, admin)).data
      .createApiToken.secret;
    jsId = (
      await gql<any>(
        api.url,
        op.CREATE_SOURCE,
        { input: { name: 'web', kind: 'JAVASCRIPT', environment: 'PRODUCTION' } },
        admin,
      )
    ).data.createSource.id;
    stripeId = (
      await gql<any>(
        api.url,
        op.CREATE_SOURCE,
        { input: { name: 'pay', kind: 'STRIPE', environment: 'PRODUCTION' } },
        admin,
      )
    ).data.createSource.id;
  });
  afterAll(() => api.close());

  const codeOf = async (
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<string | undefined> => {
    const res = await gql(api.url, query, variables, undefined, headers);
    return res.errors?.[0]?.extensions?.code;
  };

  it.each([
    ['no token', {}],
    ['an empty header', { authorization: '' }],
    ['a non-bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a malformed token', { authorization: 'Bearer not-a-token' }],
    ['an unknown token', { authorization: `Bearer trb_${randomUUID().replace(/-/g, '')}_${'A'.repeat(43)}` }],
  ])('refuses %s with UNAUTHENTICATED and says what to send', async (_label, headers) => {
    const res = await gql(api.url, op.SOURCES, {}, undefined, headers as Record<string, string>);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0].message).toMatch(/Bearer|token/);
    expect(res.data).toBeNull();
  });

  it('refuses a revoked token at once', async () => {
    const created = (await gql<any>(api.url, op.CREATE_API_TOKEN, { name: 'temp', role: 'ADMIN' }, admin)).data
      .createApiToken;
    expect(await codeOf(op.API_TOKENS, {}, { authorization: `Bearer ${created.secret}` })).toBeUndefined();
    await gql(api.url, op.REVOKE_API_TOKEN, { id: created.token.id }, admin);
    expect(await codeOf(op.API_TOKENS, {}, { authorization: `Bearer ${created.secret}` })).toBe('UNAUTHENTICATED');
  });

  it('keeps the last admin token: revoking it is a CONFLICT', async () => {
    const lone = await api.createWorkspace('Lone');
    const tokens = (await gql<any>(api.url, op.API_TOKENS, {}, lone.adminToken)).data.apiTokens;
    const res = await gql(api.url, op.REVOKE_API_TOKEN, { id: tokens[0].id }, lone.adminToken);
    expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('hides other workspaces: their token sees NOT_FOUND and an empty list', async () => {
    const other = { authorization: `Bearer ${otherAdmin}` };
    expect(await codeOf(op.SOURCE, { id: jsId }, other)).toBe('NOT_FOUND');
    expect(await codeOf(op.UPDATE_SOURCE, { input: { id: jsId, name: 'x' } }, other)).toBe('NOT_FOUND');
    expect(await codeOf(op.DELETE_SOURCE, { id: jsId }, other)).toBe('NOT_FOUND');
    expect(await codeOf(op.ISSUE_WRITE_KEY, { sourceId: jsId }, other)).toBe('NOT_FOUND');
    expect(
      await codeOf(
        op.SET_CREDENTIALS,
        { input: { sourceId: stripeId, stripe: { secretKey: 'sk_test_x1234' } } },
        other,
      ),
    ).toBe('NOT_FOUND');
    const adminTokens = (await gql<any>(api.url, op.API_TOKENS, {}, admin)).data.apiTokens;
    expect(await codeOf(op.REVOKE_API_TOKEN, { id: adminTokens[0].id }, other)).toBe('NOT_FOUND');
    expect(await codeOf(op.SYNC_RUNS, { sourceId: stripeId }, other)).toBe('NOT_FOUND');
    expect(await codeOf(op.TRIGGER_SYNC, { sourceId: stripeId, object: 'customers' }, other)).toBe('NOT_FOUND');
    expect(await codeOf(op.CANCEL_SYNC, { sourceId: stripeId, object: 'customers' }, other)).toBe('NOT_FOUND');
    expect((await gql<any>(api.url, op.SOURCES, {}, otherAdmin)).data.sources.totalCount).toBe(0);
  });

  it('lets an INTEGRATOR read sources', async () => {
    const res = await gql<any>(api.url, op.SOURCES, {}, integrator);
    expect(res.errors).toBeUndefined();
    expect(res.data.sources.totalCount).toBe(2);
    expect((await gql<any>(api.url, op.SOURCE, { id: jsId }, integrator)).data.source.id).toBe(jsId);
    expect((await gql<any>(api.url, op.SYNC_RUNS, { sourceId: stripeId }, integrator)).data.syncRuns.totalCount).toBe(
      0,
    );
    // Allowed, and past the role check: what stops it is the missing credentials.
    expect(
      await codeOf(
        op.TRIGGER_SYNC,
        { sourceId: stripeId, object: 'customers' },
        { authorization: `Bearer ${integrator}` },
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      await codeOf(
        op.CANCEL_SYNC,
        { sourceId: stripeId, object: 'customers' },
        { authorization: `Bearer ${integrator}` },
      ),
    ).toBe('NOT_FOUND');
  });

  const adminOnly: [string, string, () => Record<string, unknown>][] = [
    ['apiTokens', op.API_TOKENS, () => ({})],
    ['checkSourceConnection', op.CHECK_CONNECTION, () => ({ id: stripeId })],
    ['createApiToken', op.CREATE_API_TOKEN, () => ({ name: 'x', role: 'ADMIN' })],
    ['revokeApiToken', op.REVOKE_API_TOKEN, () => ({ id: randomUUID() })],
    ['createSource', op.CREATE_SOURCE, () => ({ input: { name: 'x', kind: 'GTM', environment: 'PRODUCTION' } })],
    ['updateSource', op.UPDATE_SOURCE, () => ({ input: { id: jsId, name: 'x' } })],
    ['pauseSource', op.PAUSE_SOURCE, () => ({ id: jsId })],
    ['resumeSource', op.RESUME_SOURCE, () => ({ id: jsId })],
    ['deleteSource', op.DELETE_SOURCE, () => ({ id: jsId })],
    ['issueWriteKey', op.ISSUE_WRITE_KEY, () => ({ sourceId: jsId })],
    ['rotateWriteKey', op.ROTATE_WRITE_KEY, () => ({ sourceId: jsId })],
    ['revokeWriteKey', op.REVOKE_WRITE_KEY, () => ({ id: randomUUID() })],
    [
      'setSourceCredentials',
      op.SET_CREDENTIALS,
      () => ({ input: { sourceId: stripeId, stripe: { secretKey: 'sk_test_abcd' } } }),
    ],
  ];

  it.each(adminOnly)('forbids an INTEGRATOR to call %s and changes nothing', async (name, query, vars) => {
    const res = await gql(api.url, query, vars(), integrator);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0].message).toBe(`${name} requires one of these token roles: ADMIN; this token is INTEGRATOR`);
    const source = (await gql<any>(api.url, op.SOURCE, { id: jsId }, admin)).data.source;
    expect(source).toMatchObject({ name: 'web', status: 'ACTIVE', writeKeys: [] });
  });
});
