// GraphQL sourceEvents end to end: events sent through the real ingest app, read back through the real api,
// newest first with cursor pages, and never another workspace's.
import { SourceEnvironment, SourceKind } from '@app/common';
import { SourcesService, WriteKeysService } from '@app/sources';
import { type TestApi, startTestApi } from '../utils/api';
import { migrateFresh, requiredEnv } from '../utils/database';
import { gql } from '../utils/gql';
import { type TestIngest, startTestIngest } from '../utils/ingest';
import * as op from '../utils/operations';

interface Workspace {
  token: string;
  sourceId: string;
  key: string;
}

describe('sourceEvents (GraphQL)', () => {
  let api: TestApi;
  let ingest: TestIngest;
  let a: Workspace;
  let b: Workspace;

  async function workspaceWithSource(name: string): Promise<Workspace> {
    const { workspaceId, adminToken } = await api.createWorkspace(name);
    const source = await api.app.get(SourcesService).create(workspaceId, {
      name: `${name} web`,
      kind: SourceKind.JAVASCRIPT,
      environment: SourceEnvironment.PRODUCTION,
    });
    const issued = await api.app.get(WriteKeysService).issue(workspaceId, source.id);
    return { token: adminToken, sourceId: source.id, key: issued.secret };
  }

  async function send(w: Workspace, messageId: string): Promise<void> {
    const res = await fetch(`${ingest.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey: w.key, userId: `user-of-${messageId}`, event: 'Viewed', messageId }),
    });
    expect(res.status).toBe(200);
  }

  const page = (w: Workspace, sourceId: string, vars: Record<string, unknown> = {}) =>
    gql<any>(api.url, op.SOURCE_EVENTS, { sourceId, ...vars }, w.token);

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    ingest = await startTestIngest();
    a = await workspaceWithSource('A');
    b = await workspaceWithSource('B');
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) {
      await send(a, id);
    }
    await send(b, 'event-of-workspace-b');
  });
  afterAll(async () => {
    await ingest?.close();
    await api?.close();
  });

  it('pages a source’s events newest first, each page after the previous one’s endCursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await page(a, a.sourceId, { first: 2, after });
      expect(res.errors).toBeUndefined();
      const { edges, pageInfo } = res.data.sourceEvents;
      seen.push(...edges.map((e: any) => e.node.messageId));
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(seen).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
    expect(pages).toBe(3);

    const [newest] = (await page(a, a.sourceId, { first: 1 })).data.sourceEvents.edges;
    expect(newest.node).toMatchObject({ type: 'track', event: 'Viewed', userId: 'user-of-a5', anonymousId: null });
    expect(JSON.parse(newest.node.payload)).toMatchObject({ event: 'Viewed', messageId: 'a5' });
    expect(JSON.stringify(newest)).not.toContain(a.key);
  });

  it('shows a new event on the next poll of the first page', async () => {
    await send(a, 'a6');
    const res = await page(a, a.sourceId, { first: 1 });
    expect(res.data.sourceEvents.edges.map((e: any) => e.node.messageId)).toEqual(['a6']);
  });

  it('never shows another workspace’s events: its source is NOT_FOUND, and no page holds its events', async () => {
    const foreign = await page(a, b.sourceId);
    expect(foreign.data).toBeNull();
    expect(foreign.errors?.[0]).toMatchObject({
      message: expect.stringContaining(b.sourceId),
      extensions: { code: 'NOT_FOUND' },
    });
    expect(JSON.stringify(foreign)).not.toContain('event-of-workspace-b');
    const own = await page(a, a.sourceId, { first: 100 });
    expect(own.data.sourceEvents.edges.map((e: any) => e.node.messageId)).not.toContain('event-of-workspace-b');
    const theirs = await page(b, b.sourceId, { first: 100 });
    expect(theirs.data.sourceEvents.edges.map((e: any) => e.node.messageId)).toEqual(['event-of-workspace-b']);
  });

  it.each([
    ['a forged cursor', { after: 'not-a-cursor' }, /pass pageInfo.endCursor/],
    ['a page too large', { first: 500 }, /first must be at most 100/],
    ['a page of none', { first: 0 }, /first must be at least 1/],
  ])('refuses %s with BAD_USER_INPUT saying what to send', async (_what, vars, message) => {
    const res = await page(a, a.sourceId, vars);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(message);
  });

  it('refuses a sourceId that is not a UUID', async () => {
    const res = await page(a, 'web');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('sourceId must be a source id (UUID)');
  });
});
