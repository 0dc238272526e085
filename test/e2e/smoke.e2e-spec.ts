import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { startTestApi, type TestApi } from '../utils/api';
import { gql } from '../utils/gql';

describe('api boot', () => {
  let api: TestApi;
  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('answers health and a query with a token', async () => {
    const ready = await fetch(`${api.url}/health/ready`);
    expect(ready.status).toBe(200);
    const { adminToken } = await api.createWorkspace();
    const res = await gql(api.url, '{ sources { totalCount } }', {}, adminToken);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ sources: { totalCount: 0 } });
  });
});
