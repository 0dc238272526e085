import { WriteKeysService } from '@app/sources';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';

// The README quickstart, step by step, over HTTP.
describe('quickstart', () => {
  let api: TestApi;
  let token: string;
  const call = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const res = await gql(api.url, query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data;
  };

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    token = (await api.createWorkspace('Quickstart')).adminToken;
  });
  afterAll(() => api.close());

  it('creates a source, issues and rotates a write key, sets Stripe credentials, lists sources', async () => {
    const { createSource: web } = await call(op.CREATE_SOURCE, {
      input: {
        name: 'Website',
        kind: 'JAVASCRIPT',
        environment: 'PRODUCTION',
        trackingConfig: { allowedOrigins: ['https://www.example.com'] },
      },
    });
    expect(web).toMatchObject({ name: 'Website', status: 'ACTIVE', credentials: null, writeKeys: [] });
    expect(web.trackingConfig.allowedOrigins).toEqual(['https://www.example.com']);

    const { issueWriteKey: first } = await call(op.ISSUE_WRITE_KEY, { sourceId: web.id });
    expect(first.secret.startsWith(`${first.writeKey.prefix}_`)).toBe(true);
    const { rotateWriteKey: second } = await call(op.ROTATE_WRITE_KEY, { sourceId: web.id, overlapSeconds: 3600 });
    const verify = api.app.get(WriteKeysService);
    expect(await verify.verify(first.secret)).toMatchObject({ sourceId: web.id });
    expect(await verify.verify(second.secret)).toMatchObject({ sourceId: web.id });

    const { source } = await call(op.SOURCE, { id: web.id });
    expect(source.writeKeys.map((k: { status: string }) => k.status)).toEqual(['ACTIVE', 'EXPIRING']);
    expect(JSON.stringify(source)).not.toContain(first.secret.slice(16));

    const { createSource: stripe } = await call(op.CREATE_SOURCE, {
      input: { name: 'Billing', kind: 'STRIPE', environment: 'PRODUCTION' },
    });
    expect(stripe.credentials).toEqual({ isSet: false, updatedAt: null });
    expect(stripe.trackingConfig).toBeNull();
    const { setSourceCredentials } = await call(op.SET_CREDENTIALS, {
      input: { sourceId: stripe.id, stripe: { secretKey: 'sk_test_tributary' } },
    });
    expect(setSourceCredentials.isSet).toBe(true);

    const { sources } = await call(op.SOURCES, { first: 10 });
    expect(sources.totalCount).toBe(2);
    expect(sources.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Website', 'Billing']);
    expect(sources.edges[1].node.credentials.isSet).toBe(true);
  });

  it('pauses, resumes, updates and soft-deletes a source', async () => {
    const { createSource: app } = await call(op.CREATE_SOURCE, {
      input: { name: 'App', kind: 'IOS', environment: 'STAGING' },
    });
    expect((await call(op.PAUSE_SOURCE, { id: app.id })).pauseSource.status).toBe('PAUSED');
    expect((await call(op.SOURCES, { filter: { status: 'PAUSED' } })).sources.totalCount).toBe(1);
    expect((await call(op.RESUME_SOURCE, { id: app.id })).resumeSource.status).toBe('ACTIVE');
    const { updateSource } = await call(op.UPDATE_SOURCE, {
      input: { id: app.id, name: 'iOS app', rateLimit: { eventsPerSecond: 50, burst: 100 } },
    });
    expect(updateSource).toMatchObject({
      name: 'iOS app',
      kind: 'IOS',
      rateLimit: { eventsPerSecond: 50, burst: 100 },
    });
    await call(op.ISSUE_WRITE_KEY, { sourceId: app.id });
    const { deleteSource } = await call(op.DELETE_SOURCE, { id: app.id });
    expect(deleteSource.deletedAt).not.toBeNull();
    const after = await gql(api.url, op.SOURCE, { id: app.id }, token);
    expect(after.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await call(op.CREATE_SOURCE, { input: { name: 'iOS app', kind: 'IOS', environment: 'STAGING' } });
  });

  it('pages through sources with cursors', async () => {
    const all = (await call(op.SOURCES, { first: 100 })).sources;
    const firstPage = (await call(op.SOURCES, { first: 1 })).sources;
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const rest = (await call(op.SOURCES, { first: 100, after: firstPage.pageInfo.endCursor })).sources;
    expect([...firstPage.edges, ...rest.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(
      all.edges.map((e: { node: { id: string } }) => e.node.id),
    );
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.edges.at(-1).cursor });
  });
});
