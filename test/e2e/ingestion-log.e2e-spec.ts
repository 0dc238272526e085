// The ingestion log end to end: messages sent through the real ingest app, read back through the real api
// (sourceIngestionCounts, sourceRejections, Source.ingestionHealth), never another workspace's; retention
// and the source purge cover both tables.
import { SourceEnvironment, SourceKind } from '@app/common';
import { EventMaintenance, IngestionLog } from '@app/ingestion';
import { SourcePurgeStore, SourcesService, WriteKeysService } from '@app/sources';
import { DataSource } from 'typeorm';
import { type TestApi, startTestApi } from '../utils/api';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { gql } from '../utils/gql';
import { type TestIngest, startTestIngest } from '../utils/ingest';
import * as op from '../utils/operations';

interface Source {
  token: string;
  workspaceId: string;
  id: string;
  key: string;
}

const valid = (id: string) => ({ type: 'track', userId: 'u', event: 'E', messageId: id });
const noIdentity = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'E',
  messageId: id,
  ...extra,
});
const badTime = (id: string) => ({ ...valid(id), timestamp: 'yesterday' });

describe('ingestion log (GraphQL)', () => {
  let api: TestApi;
  let ingest: TestIngest;
  let a: Source;
  let b: Source;

  async function createSource(
    workspace: { workspaceId: string; adminToken: string },
    name: string,
    rateLimit?: object,
  ) {
    const sources = api.app.get(SourcesService);
    const source = await sources.create(workspace.workspaceId, {
      name,
      kind: SourceKind.JAVASCRIPT,
      environment: SourceEnvironment.PRODUCTION,
    });
    if (rateLimit) {
      await sources.update(workspace.workspaceId, source.id, { rateLimit });
    }
    const issued = await api.app.get(WriteKeysService).issue(workspace.workspaceId, source.id);
    return { token: workspace.adminToken, workspaceId: workspace.workspaceId, id: source.id, key: issued.secret };
  }

  async function batch(s: Source, items: unknown[], expected = 200): Promise<void> {
    const res = await fetch(`${ingest.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey: s.key, batch: items }),
    });
    expect(res.status).toBe(expected);
    await res.arrayBuffer();
  }

  const flush = () => ingest.app.get(IngestionLog).flush();
  const health = (s: Source, vars: Record<string, unknown> = {}) =>
    gql<any>(api.url, op.SOURCE_INGESTION_HEALTH, { id: s.id, ...vars }, s.token);
  const rejections = (s: Source, sourceId: string, vars: Record<string, unknown> = {}) =>
    gql<any>(api.url, op.SOURCE_REJECTIONS, { sourceId, ...vars }, s.token);
  const counts = (s: Source, sourceId: string, vars: Record<string, unknown>) =>
    gql<any>(api.url, op.SOURCE_INGESTION_COUNTS, { sourceId, ...vars }, s.token);
  const lastMinutes = (n: number) => ({
    from: new Date(Date.now() - n * 60_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  });

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    ingest = await startTestIngest();
    const wa = await api.createWorkspace('A');
    a = await createSource(wa, 'A web');
    b = await createSource(await api.createWorkspace('B'), 'B web');
    // A: 2 accepted, 1 duplicate, 5 rejected (3 without identity, one of them over 2 KB; 2 bad timestamps).
    await batch(a, [
      valid('a1'),
      valid('a2'),
      valid('a1'),
      noIdentity('r1'),
      noIdentity('r2'),
      noIdentity('big', { properties: { text: 'x'.repeat(5000) } }),
      badTime('t1'),
      badTime('t2'),
    ]);
    await batch(b, [noIdentity('secret-of-b')]);
    await flush();
  });
  afterAll(async () => {
    await ingest?.close();
    await api?.close();
  });

  it('counts a source’s messages per bucket and outcome, at each granularity', async () => {
    const minutes = await counts(a, a.id, { ...lastMinutes(5), granularity: 'MINUTE' });
    expect(minutes.errors).toBeUndefined();
    const total = (buckets: any[], field: string) => buckets.reduce((n, bucket) => n + bucket[field], 0);
    const rows = minutes.data.sourceIngestionCounts;
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect([total(rows, 'accepted'), total(rows, 'duplicate'), total(rows, 'rejected')]).toEqual([2, 1, 5]);
    const days = (await counts(a, a.id, { ...lastMinutes(5), granularity: 'DAY' })).data.sourceIngestionCounts;
    expect(days[0].start).toMatch(/T00:00:00\.000Z$/);
    expect([total(days, 'accepted'), total(days, 'rejected'), total(days, 'rateLimited')]).toEqual([2, 5, 0]);
  });

  it.each([
    [
      'a MINUTE range over a day',
      { from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z', granularity: 'MINUTE' },
      'RANGE_TOO_LARGE',
      'A MINUTE granularity covers at most 1440 buckets; this range needs 2880: narrow from/to or use HOUR',
    ],
    [
      'a range that ends before it starts',
      { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z', granularity: 'HOUR' },
      'EMPTY_RANGE',
      '`from` must be a time before `to`',
    ],
  ])('refuses %s with BAD_USER_INPUT and a reason', async (_what, vars, reason, message) => {
    const res = await counts(a, a.id, vars);
    expect(res.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', reason } });
  });

  it('keeps every rejected item with its code, field and truncated payload, by code and in cursor pages', async () => {
    const seen: any[] = [];
    let after: string | null = null;
    do {
      const res = await rejections(a, a.id, { first: 2, after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.sourceRejections.edges.map((e: any) => e.node));
      after = res.data.sourceRejections.pageInfo.hasNextPage ? res.data.sourceRejections.pageInfo.endCursor : null;
    } while (after);
    expect(seen.map((r) => r.messageId).sort()).toEqual(['big', 'r1', 'r2', 't1', 't2']);
    const big = seen.find((r) => r.messageId === 'big');
    expect(big).toMatchObject({ code: 'missing_identity', field: 'userId', truncated: true });
    expect(big.payload).toHaveLength(2048);
    expect(seen.find((r) => r.messageId === 'r1')).toMatchObject({ truncated: false });
    expect(JSON.parse(seen.find((r) => r.messageId === 'r1').payload)).toEqual(noIdentity('r1'));

    const byCode = await rejections(a, a.id, { code: 'invalid_timestamp' });
    expect(byCode.data.sourceRejections.edges.map((e: any) => [e.node.messageId, e.node.field]).sort()).toEqual([
      ['t1', 'timestamp'],
      ['t2', 'timestamp'],
    ]);
    expect(JSON.stringify(seen)).not.toContain(a.key);
    const forged = await rejections(a, a.id, { after: 'bm90LWEtY3Vyc29y' });
    expect(forged.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' } });
  });

  it('never shows another workspace’s log: its source is NOT_FOUND everywhere', async () => {
    for (const res of [
      await rejections(a, b.id),
      await counts(a, b.id, { ...lastMinutes(5), granularity: 'HOUR' }),
      await health({ ...a, id: b.id }),
    ]) {
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res)).not.toContain('secret-of-b');
    }
    const own = await rejections(b, b.id);
    expect(own.data.sourceRejections.edges.map((e: any) => e.node.messageId)).toEqual(['secret-of-b']);
  });

  it('flags a source whose rejected share passes the threshold, with its top reasons; a clean one is not', async () => {
    const ws = await api.createWorkspace('Health');
    const mixed = await createSource(ws, 'mixed');
    const clean = await createSource(ws, 'clean');
    // 6 accepted, 3 without identity, 1 bad timestamp: 40 % rejected.
    await batch(mixed, [
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map(valid),
      ...['x1', 'x2', 'x3'].map((id) => noIdentity(id)),
      badTime('x4'),
    ]);
    await batch(clean, ['c1', 'c2', 'c3'].map(valid));
    await flush();

    const flagged = (await health(mixed)).data.source.ingestionHealth;
    expect(flagged).toMatchObject({
      flagged: true,
      windowMinutes: 15,
      thresholdPercent: 10,
      messages: 10,
      rejected: 4,
      rateLimited: 0,
      rejectedPercent: 40,
    });
    expect(flagged.topReasons).toEqual([
      { code: 'missing_identity', field: 'userId', count: 3 },
      { code: 'invalid_timestamp', field: 'timestamp', count: 1 },
    ]);
    // Above a 50 % threshold it is fine.
    expect((await health(mixed, { thresholdPercent: 50 })).data.source.ingestionHealth.flagged).toBe(false);
    expect((await health(clean)).data.source.ingestionHealth).toMatchObject({
      flagged: false,
      messages: 3,
      topReasons: [],
    });
    const bad = await health(mixed, { windowMinutes: 0 });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0].message).toContain('windowMinutes must be 1 to 1440');
  });

  it('flags a source whose rate-limited share passes the threshold, rate_limited among its reasons', async () => {
    const limited = await createSource(await api.createWorkspace('Limited'), 'limited', {
      eventsPerSecond: 1,
      burst: 2,
    });
    await batch(limited, [valid('l1'), valid('l2')]);
    await batch(limited, ['l3', 'l4', 'l5'].map(valid), 429);
    await flush();
    const answer = (await health(limited)).data.source.ingestionHealth;
    expect(answer).toMatchObject({ flagged: true, messages: 5, rateLimited: 3, rateLimitedPercent: 60 });
    expect(answer.topReasons).toEqual([{ code: 'rate_limited', field: '', count: 3 }]);
  });

  it('retention drops rows older than the log retention and keeps the rest', async () => {
    const kept = async () =>
      (
        await queryTestDb<{ n: string }>(
          `SELECT ((SELECT count(*) FROM ingestion_counters WHERE source_id = $1)
                 + (SELECT count(*) FROM ingestion_rejections WHERE source_id = $1))::text AS n`,
          [a.id],
        )
      )[0].n;
    const before = await kept();
    const old = new Date(Date.now() - 3 * 86_400_000);
    await queryTestDb(
      `INSERT INTO ingestion_counters (source_id, minute, status, count) VALUES ($1, date_trunc('minute', $2::timestamptz), 'accepted', 7)`,
      [a.id, old.toISOString()],
    );
    await queryTestDb(
      `INSERT INTO ingestion_rejections (source_id, received_at, message_id, code, field, reason, payload, truncated)
       VALUES ($1, $2, 'ancient', 'invalid_type', 'type', 'old', '{}', false)`,
      [a.id, old.toISOString()],
    );
    const report = await ingest.app.get(EventMaintenance).run(new Date(), 3650, 2);
    expect(report.expiredLogRows).toBe(2);
    expect(await kept()).toBe(before);
    expect(Number(before)).toBeGreaterThanOrEqual(8); // A's counters (3 statuses or more) and 5 rejections
  });

  it('the source purge empties both tables of the source, and only of that source', async () => {
    await queryTestDb('UPDATE sources SET deleted_at = now(), purged_at = now() WHERE id = $1', [a.id]);
    const purge = new SourcePurgeStore(api.app.get(DataSource));
    let step = await purge.deleteBatch(a.id, 100);
    while (step.kind === 'deleted') {
      step = await purge.deleteBatch(a.id, 100);
    }
    const left = async (sourceId: string) =>
      queryTestDb<{ t: string }>(
        `SELECT 'counter' AS t FROM ingestion_counters WHERE source_id = $1
         UNION ALL SELECT 'rejection' FROM ingestion_rejections WHERE source_id = $1`,
        [sourceId],
      );
    expect(await left(a.id)).toEqual([]);
    expect((await left(b.id)).map((r) => r.t).sort()).toEqual(['counter', 'rejection']);
  });
});
