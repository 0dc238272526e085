// Tracking plans end to end (issue 11 items 1-2): plans set through the real api, events through the real
// ingest app, the quarantine replayed by the real worker on the real Temporal server, rows read back from
// the real Postgres.
import { EventMaintenance, INGESTION_LOG_FLUSH_MS, WRITE_KEY_CACHE_MS } from '@app/ingestion';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { Writable } from 'node:stream';
import { type WorkerApp, startWorkerApp } from '../../apps/worker/src/create-worker-app';
import { type TestApi, startTestApi } from '../utils/api';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { gql } from '../utils/gql';
import { type TestIngest, startTestIngest } from '../utils/ingest';
import * as op from '../utils/operations';
import {
  QUARANTINE_REPLAY,
  REPLAY_QUARANTINE,
  SET_TRACKING_PLAN,
  SOURCE_QUARANTINE,
  rowCount,
  sendBatch,
  webSourceWithKey,
} from '../utils/quarantine';
import { perSourceCounts, sourceRow } from '../utils/source-lifecycle';
import { eventually } from '../utils/sync-stack';
import { TemporalClientService } from '@app/temporal';

/** QUARANTINE_RETENTION_DAYS for this file's ingest. */
const RETENTION_DAYS = 12;
const ORDER_SCHEMA = { type: 'object', required: ['total'], properties: { total: { type: 'number' } } };
const plan = (mode: string, events: { name: string; schema?: object }[], traits?: object) => ({
  mode,
  events: events.map((e) => ({ name: e.name, propertiesSchema: e.schema ? JSON.stringify(e.schema) : null })),
  identifyTraitsSchema: traits ? JSON.stringify(traits) : undefined,
});
const track = (messageId: string, event: string, properties: Record<string, unknown>) => ({
  type: 'track',
  messageId,
  userId: 'u1',
  event,
  properties,
});

describe('tracking plans and quarantine', () => {
  let api: TestApi;
  let ingest: TestIngest;
  let worker: WorkerApp;
  let token: string;
  let workspaceId: string;

  const call = async (query: string, variables: Record<string, unknown>): Promise<any> => {
    const res = await gql<any>(api.url, query, variables, token);
    if (res.errors) {
      throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    }
    return res.data;
  };

  /** The source's ingestion-log counts by status. */
  async function counted(sourceId: string): Promise<Record<string, number>> {
    const rows = await queryTestDb<{ status: string; n: string }>(
      'SELECT status, sum(count) AS n FROM ingestion_counters WHERE source_id = $1 GROUP BY status',
      [sourceId],
    );
    return { accepted: 0, quarantined: 0, ...Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) };
  }

  /** Sets the plan and waits out ingest's write-key cache, so the next request sees it. */
  async function setPlan(sourceId: string, trackingPlan: Record<string, unknown>): Promise<any> {
    const data = await call(SET_TRACKING_PLAN, { input: { id: sourceId, trackingConfig: { trackingPlan } } });
    await new Promise((r) => setTimeout(r, WRITE_KEY_CACHE_MS + 100));
    return data.updateSource.trackingConfig.trackingPlan;
  }

  async function replay(sourceId: string, filter?: Record<string, unknown>): Promise<any> {
    const { replayQuarantine } = await call(REPLAY_QUARANTINE, { sourceId, filter });
    return eventually(async () => {
      const { quarantineReplay } = await call(QUARANTINE_REPLAY, { sourceId, id: replayQuarantine.id });
      return quarantineReplay.status === 'completed' ? quarantineReplay : undefined;
    }, `replay ${replayQuarantine.workflowId}`);
  }

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi({
      TEMPORAL_ADDRESS: requiredEnv('TEST_TEMPORAL_ADDRESS'),
      SOURCE_PURGE_GRACE_SECONDS: '0',
    });
    // A retention of its own (not the default 30 days): the retention test shows the setting is honoured.
    ingest = await startTestIngest({ QUARANTINE_RETENTION_DAYS: String(RETENTION_DAYS) });
    const sink = new Writable({ write: (_c, _e, done) => done() });
    worker = await startWorkerApp(api.config, sink);
    ({ workspaceId, adminToken: token } = await api.createWorkspace('Plans'));
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await ingest?.close();
    await api?.close();
  });

  it('refuses a schema that does not compile: BAD_USER_INPUT (INVALID_INPUT) naming the schema’s path', async () => {
    const { sourceId } = await webSourceWithKey(api, workspaceId, 'refused');
    const res = await gql<any>(
      api.url,
      SET_TRACKING_PLAN,
      {
        input: {
          id: sourceId,
          trackingConfig: {
            trackingPlan: {
              mode: 'BLOCK',
              events: [
                { name: 'Viewed', propertiesSchema: '{"type":"object"}' },
                { name: 'Order Completed', propertiesSchema: '{"type":"objekt"}' },
              ],
            },
          },
        },
      },
      token,
    );
    // The domain's INVALID_INPUT, as the api maps it for every GraphQL error (apps/api/src/graphql).
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.problems).toEqual([
      expect.stringMatching(/^trackingConfig\.trackingPlan\.events\[1\]\.propertiesSchema is not a valid JSON Schema/),
    ]);
    const [row] = await queryTestDb<{ plan: unknown }>(
      `SELECT tracking_config -> 'trackingPlan' AS plan FROM sources WHERE id = $1`,
      [sourceId],
    );
    expect(row.plan).toMatchObject({ mode: 'ALLOW', version: 0 });
  });

  it('ALLOW (the default) stores every event unchecked', async () => {
    const { sourceId, key } = await webSourceWithKey(api, workspaceId, 'allow');
    const answer = await sendBatch(ingest.url, key, [track('allow-1', 'Not In Any Plan', { total: 'x' })]);
    expect(answer.results).toEqual([{ status: 'accepted', messageId: 'allow-1' }]);
    const rows = await queryTestDb('SELECT violations FROM events WHERE source_id = $1', [sourceId]);
    expect(rows).toEqual([{ violations: null }]);
  });

  it('FLAG stores violating events with their violations at exact paths', async () => {
    const { sourceId, key } = await webSourceWithKey(api, workspaceId, 'flag');
    const set = await setPlan(sourceId, plan('FLAG', [{ name: 'Order Completed', schema: ORDER_SCHEMA }]));
    expect(set).toMatchObject({ mode: 'FLAG', version: 1 });
    const answer = await sendBatch(ingest.url, key, [
      track('flag-ok', 'Order Completed', { total: 10 }),
      track('flag-bad', 'Order Completed', { total: 'ten' }),
      track('flag-unknown', 'Order Complete', { total: 10 }),
    ]);
    expect(answer.results.map((r: any) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const rows = await queryTestDb<{ message_id: string; violations: any }>(
      'SELECT message_id, violations FROM events WHERE source_id = $1 ORDER BY message_id',
      [sourceId],
    );
    expect(rows).toEqual([
      {
        message_id: 'flag-bad',
        violations: [expect.objectContaining({ code: 'schema_violation', field: 'properties.total' })],
      },
      { message_id: 'flag-ok', violations: null },
      { message_id: 'flag-unknown', violations: [expect.objectContaining({ code: 'unknown_event', field: 'event' })] },
    ]);
  });

  describe('BLOCK, the quarantine and its replay', () => {
    let source: { sourceId: string; key: string };
    const batch = [
      track('b-ok', 'Order Completed', { total: 10 }),
      track('b-bad', 'Order Completed', { total: 'ten' }),
      track('b-unknown', 'Checkout Started', { step: 1 }),
      { type: 'identify', messageId: 'b-traits', userId: 'u1', traits: { email: 'not an email' } },
    ];

    beforeAll(async () => {
      source = await webSourceWithKey(api, workspaceId, 'block');
      await setPlan(
        source.sourceId,
        plan('BLOCK', [{ name: 'Order Completed', schema: ORDER_SCHEMA }], {
          type: 'object',
          properties: { email: { type: 'string', format: 'email' } },
        }),
      );
    });

    it('quarantines violating events with code, exact field and reason; a retry quarantines them once', async () => {
      const answer = await sendBatch(ingest.url, source.key, batch);
      expect(answer).toMatchObject({ accepted: 1, quarantined: 3, rejected: 0 });
      expect(answer.results).toEqual([
        { status: 'accepted', messageId: 'b-ok' },
        {
          status: 'quarantined',
          messageId: 'b-bad',
          code: 'plan_violation',
          field: 'properties.total',
          reason: 'properties.total must be number',
        },
        expect.objectContaining({ status: 'quarantined', messageId: 'b-unknown', field: 'event' }),
        expect.objectContaining({ status: 'quarantined', messageId: 'b-traits', field: 'traits.email' }),
      ]);
      const retried = await sendBatch(ingest.url, source.key, batch);
      expect(retried).toMatchObject({ accepted: 0, duplicate: 1, quarantined: 3 });

      const id = [source.sourceId];
      expect(await rowCount('SELECT count(*) AS n FROM quarantined_events WHERE source_id = $1', id)).toBe(3);
      expect(await rowCount('SELECT count(*) AS n FROM events WHERE source_id = $1', id)).toBe(1);
      // Held back, not accepted: no dedupe key until a replay accepts it.
      expect(await rowCount('SELECT count(*) AS n FROM event_dedupe WHERE source_id = $1', id)).toBe(1);
    });

    it('lists the quarantine in GraphQL, filtered by event name or violation code', async () => {
      const all = await call(SOURCE_QUARANTINE, { sourceId: source.sourceId, first: 2 });
      expect(all.sourceQuarantine.edges.map((e: any) => e.node.messageId)).toEqual(['b-traits', 'b-unknown']);
      expect(all.sourceQuarantine.pageInfo.hasNextPage).toBe(true);
      const rest = await call(SOURCE_QUARANTINE, {
        sourceId: source.sourceId,
        after: all.sourceQuarantine.pageInfo.endCursor,
      });
      const [bad] = rest.sourceQuarantine.edges.map((e: any) => e.node);
      expect(bad).toMatchObject({
        messageId: 'b-bad',
        status: 'quarantined',
        planVersion: 1,
        eventName: 'Order Completed',
      });
      expect(JSON.parse(bad.payload)).toMatchObject({ messageId: 'b-bad', payload: { properties: { total: 'ten' } } });
      const unknown = await call(SOURCE_QUARANTINE, {
        sourceId: source.sourceId,
        filter: { violationCode: 'unknown_event' },
      });
      expect(unknown.sourceQuarantine.edges.map((e: any) => e.node.messageId)).toEqual(['b-unknown']);
      const byName = await call(SOURCE_QUARANTINE, {
        sourceId: source.sourceId,
        filter: { eventName: 'Order Completed' },
      });
      expect(byName.sourceQuarantine.edges.map((e: any) => e.node.messageId)).toEqual(['b-bad']);
    });

    it('refuses to replay a paused source’s quarantine (CONFLICT, saying to resume it), starting nothing', async () => {
      await call(op.PAUSE_SOURCE, { id: source.sourceId });
      try {
        const res = await gql<any>(api.url, REPLAY_QUARANTINE, { sourceId: source.sourceId }, token);
        expect(res.errors?.[0]).toMatchObject({
          message: expect.stringMatching(/Source is PAUSED; resume it before replaying its quarantine/),
          extensions: { code: 'CONFLICT' },
        });
        expect(
          await rowCount('SELECT count(*) AS n FROM quarantine_replays WHERE source_id = $1', [source.sourceId]),
        ).toBe(0);
      } finally {
        await call(op.RESUME_SOURCE, { id: source.sourceId });
      }
    });

    it('replays after each plan fix: accepted events land once, the rest stay; a second replay adds nothing', async () => {
      const { sourceId } = source;
      // Fix 1: Checkout Started joins the plan. Only b-unknown passes now.
      await setPlan(
        sourceId,
        plan('BLOCK', [{ name: 'Order Completed', schema: ORDER_SCHEMA }, { name: 'Checkout Started' }]),
      );
      // The ingestion log has counted every answer so far (ingest adds its counts every INGESTION_LOG_FLUSH_MS).
      await new Promise((r) => setTimeout(r, INGESTION_LOG_FLUSH_MS + 500));
      const before = await counted(sourceId);
      const moved = (n: number) => ({ ...before, accepted: before.accepted + n, quarantined: before.quarantined - n });
      const first = await replay(sourceId);
      expect(first).toMatchObject({ scanned: 3, replayed: 1, stillQuarantined: 2 });
      // The replayed event's count moved, in the replay page's own transaction.
      expect(await counted(sourceId)).toEqual(moved(1));
      expect(first.workflowId).toBe(`replay:${sourceId}:${first.id}`);

      // Fix 2: totals may be text, and the traits schema goes.
      const loose = { type: 'object', properties: { total: { type: ['number', 'string'] } } };
      await setPlan(sourceId, {
        ...plan('BLOCK', [{ name: 'Order Completed', schema: loose }, { name: 'Checkout Started' }]),
        identifyTraitsSchema: '',
      });
      expect(await replay(sourceId)).toMatchObject({ scanned: 2, replayed: 2, stillQuarantined: 0 });
      expect(await replay(sourceId)).toMatchObject({ scanned: 0, replayed: 0, stillQuarantined: 0 });
      expect(await counted(sourceId)).toEqual(moved(3));

      const events = await queryTestDb<{ message_id: string; n: string }>(
        'SELECT message_id, count(*) AS n FROM events WHERE source_id = $1 GROUP BY message_id ORDER BY message_id',
        [sourceId],
      );
      expect(events).toEqual(['b-bad', 'b-ok', 'b-traits', 'b-unknown'].map((message_id) => ({ message_id, n: '1' })));
      const held = await queryTestDb<{ status: string; n: string }>(
        'SELECT status, count(*) AS n FROM quarantined_events WHERE source_id = $1 GROUP BY status',
        [sourceId],
      );
      expect(held).toEqual([{ status: 'replayed', n: '3' }]);
      // Accepted now: a resend is a duplicate, not quarantined again.
      expect(await sendBatch(ingest.url, source.key, batch)).toMatchObject({
        accepted: 0,
        duplicate: 4,
        quarantined: 0,
      });

      // Visible in Temporal with the source's search attributes.
      const client = api.app.get(TemporalClientService).client;
      const described = await client.workflow.getHandle(first.workflowId).describe();
      const SourceId = defineSearchAttributeKey('SourceId', SearchAttributeType.KEYWORD);
      expect(described.typedSearchAttributes.get(SourceId)).toBe(sourceId);
      expect(described.taskQueue).toBe('tributary-workflows');
    });

    it('the source purge empties the quarantine and its replays', async () => {
      const before = await perSourceCounts(source.sourceId);
      expect(before.quarantined_events).toBeGreaterThan(0);
      expect(before.quarantine_replays).toBeGreaterThan(0);
      // The last test's resend is still in ingest's ingestion-log tally: let it land first, or its flush
      // would write counter rows after the purge emptied the table (retention removes such rows later).
      await new Promise((r) => setTimeout(r, INGESTION_LOG_FLUSH_MS + 500));
      await call(op.DELETE_SOURCE, { id: source.sourceId });
      await eventually(async () => ((await sourceRow(source.sourceId)).purged_at ? true : undefined), 'purge begun');
      const after = await eventually(async () => {
        const counts = await perSourceCounts(source.sourceId);
        return Object.values(counts).every((n) => n === 0) ? counts : undefined;
      }, 'purge of every per-source table');
      expect(after).toMatchObject({ quarantined_events: 0, quarantine_replays: 0, events: 0 });
    });
  });
  it('rate-limits a sender of nothing but violations: a request all quarantined spends its events too', async () => {
    const { sourceId, key } = await webSourceWithKey(api, workspaceId, 'blocked flood');
    await call(SET_TRACKING_PLAN, {
      input: {
        id: sourceId,
        trackingConfig: { trackingPlan: plan('BLOCK', [{ name: 'Known' }]) },
        rateLimit: { eventsPerSecond: 1, burst: 3 },
      },
    });
    await new Promise((r) => setTimeout(r, WRITE_KEY_CACHE_MS + 100));
    const unknown = (prefix: string) => [0, 1, 2].map((i) => track(`${prefix}-${i}`, 'Unknown', {}));
    expect(await sendBatch(ingest.url, key, unknown('flood-a'))).toMatchObject({ quarantined: 3 });
    const refused = await fetch(`${ingest.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey: key, batch: unknown('flood-b') }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await rowCount('SELECT count(*) AS n FROM quarantined_events WHERE source_id = $1', [sourceId])).toBe(3);
  });

  // Last: maintenance run at a future clock also drops that far's event partitions.
  it('drops quarantined events past their retention, and only those', async () => {
    const { sourceId, key } = await webSourceWithKey(api, workspaceId, 'retention');
    await setPlan(sourceId, plan('BLOCK', [{ name: 'Known' }]));
    expect(await sendBatch(ingest.url, key, [track('r-1', 'Unknown', {})])).toMatchObject({ quarantined: 1 });
    const maintenance = ingest.app.get(EventMaintenance);
    const day = 86_400_000;
    const within = await maintenance.run(new Date(Date.now() + (RETENTION_DAYS - 1) * day));
    expect(await rowCount('SELECT count(*) AS n FROM quarantined_events WHERE source_id = $1', [sourceId])).toBe(1);
    const past = await maintenance.run(new Date(Date.now() + (RETENTION_DAYS + 1) * day));
    expect(past.expiredQuarantine).toBeGreaterThanOrEqual(1);
    expect(within.expiredQuarantine).toBe(0);
    expect(await rowCount('SELECT count(*) AS n FROM quarantined_events WHERE source_id = $1', [sourceId])).toBe(0);
  });
});
