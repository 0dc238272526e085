import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';

const SYNC_RUNS_AFTER = `query($sourceId: ID!, $after: String) {
  syncRuns(sourceId: $sourceId, first: 10, after: $after) { totalCount edges { cursor } }
}`;

// Cursors a client can forge: valid base64url JSON of the right shape, but with parts Postgres would refuse.
const forged = (createdAt: unknown, id: unknown): string =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
const FORGED: [string, string][] = [
  ['an id that is not a UUID', forged('2026-12-01T10:00:00.000Z', 'not-a-uuid')],
  ['an id that is a number', forged('2026-12-01T10:00:00.000Z', 7)],
  ['a date Postgres cannot store', forged('+275760-09-13T00:00:00.000Z', randomUUID())],
];

describe('pagination cursors over HTTP', () => {
  let api: TestApi;
  let token: string;
  let sourceId: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    token = (await api.createWorkspace('Cursors')).adminToken;
    const created = await gql<any>(
      api.url,
      op.CREATE_SOURCE,
      { input: { name: 'pay', kind: 'STRIPE', environment: 'PRODUCTION' } },
      token,
    );
    sourceId = created.data.createSource.id;
  });
  afterAll(() => api.close());

  it.each(FORGED)('sources(after:) with %s is BAD_USER_INPUT', async (_what, after) => {
    const res = await gql(api.url, op.SOURCES, { after }, token);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('pass pageInfo.endCursor'),
    });
  });

  it.each(FORGED)('syncRuns(after:) with %s is BAD_USER_INPUT', async (_what, after) => {
    const res = await gql(api.url, SYNC_RUNS_AFTER, { sourceId, after }, token);
    expect(res.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('pass pageInfo.endCursor'),
    });
  });

  it('still pages with a cursor the API issued', async () => {
    const first = await gql<any>(api.url, op.SOURCES, { first: 1 }, token);
    const next = await gql<any>(api.url, op.SOURCES, { after: first.data.sources.pageInfo.endCursor }, token);
    expect(next.errors).toBeUndefined();
    expect(next.data.sources.edges).toEqual([]);
  });
});
