import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';

// An api whose Temporal frontend cannot be reached: operations that need Temporal answer a stable code
// with what to check, instead of a masked internal error, and change nothing.
describe('Temporal unreachable', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    token = (await api.createWorkspace('No Temporal')).adminToken;
  });
  afterAll(() => api.close());

  it('deleteSource answers SERVICE_UNAVAILABLE and the source, its write key and its name stay', async () => {
    const input = { name: 'web', kind: 'JAVASCRIPT', environment: 'PRODUCTION' };
    const id = (await gql<any>(api.url, op.CREATE_SOURCE, { input }, token)).data.createSource.id as string;
    await gql(api.url, op.ISSUE_WRITE_KEY, { sourceId: id }, token);

    const res = await gql(api.url, op.DELETE_SOURCE, { id }, token);

    expect(res.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.errors?.[0].message).toMatch(/Temporal is not reachable.*nothing changed.*retry/);
    const source = (await gql<any>(api.url, op.SOURCE, { id }, token)).data.source;
    expect(source).toMatchObject({ id, deletedAt: null, writeKeys: [expect.objectContaining({ status: 'ACTIVE' })] });
    const again = await gql(api.url, op.CREATE_SOURCE, { input }, token);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  }, 90_000);

  it('createSource of a cloud app answers SERVICE_UNAVAILABLE and creates nothing (its schedule could not be)', async () => {
    const input = { name: 'billing', kind: 'STRIPE', environment: 'PRODUCTION' };
    const res = await gql(api.url, op.CREATE_SOURCE, { input }, token);
    expect(res.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const listed = (await gql<any>(api.url, op.SOURCES, { filter: { kind: 'STRIPE' } }, token)).data.sources;
    expect(listed.totalCount).toBe(0);
  }, 90_000);
});
