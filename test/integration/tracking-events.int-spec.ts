import { AuthModule, WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import {
  EventMaintenance,
  EventReader,
  EventStore,
  IngestionModule,
  IngestionService,
  type MessageType,
  normalizeMessage,
  partitionName,
  type SourceEvent,
  type TrackingEvent,
} from '@app/ingestion';
import { SourcePurgeStore, SourcesModule, SourcesService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { testConfig } from '../utils/test-config';

const DAY = 86_400_000;

async function ingestionContext(): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(testConfig()), DatabaseModule, AuthModule, SourcesModule, IngestionModule],
  }).compile();
  return moduleRef.init();
}

function event(receivedAt: Date, fields: Record<string, unknown> = {}, type: MessageType = 'track'): TrackingEvent {
  const result = normalizeMessage({ userId: 'u1', event: 'Clicked', ...fields }, { receivedAt }, type);
  if (!result.ok) {
    throw new Error(result.reason);
  }
  return result.event;
}

const rowsOf = (sourceId: string) =>
  queryTestDb<{ message_id: string; partition: string; user_id: string; anonymous_id: string | null }>(
    `SELECT message_id, tableoid::regclass::text AS partition, user_id, anonymous_id
       FROM events WHERE source_id = $1 ORDER BY received_at, message_id`,
    [sourceId],
  );

describe('tracking events on a real database', () => {
  let app: INestApplicationContext;
  let other: INestApplicationContext;
  let store: EventStore;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    app = await ingestionContext();
    // A second context: its own pool, as a second ingest process would have.
    other = await ingestionContext();
    store = app.get(EventStore);
  });
  afterAll(async () => {
    await other?.close();
    await app?.close();
  });

  it('creates today’s partition and the next days’ at boot', async () => {
    const now = new Date();
    const names = (
      await queryTestDb<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'events'::regclass`,
      )
    ).map((r) => r.name);
    for (let i = 0; i <= 3; i++) {
      expect(names).toContain(partitionName(new Date(now.getTime() + i * DAY)));
    }
  });

  it('stores the winners only: a key already held, or repeated in the group, is a duplicate', async () => {
    const sourceId = randomUUID();
    const now = new Date();
    const first = await store.commit([{ sourceId, event: event(now, { messageId: 'm1', anonymousId: 'a1' }) }]);
    expect(first).toEqual(['accepted']);
    const outcomes = await store.commit([
      { sourceId, event: event(now, { messageId: 'm1' }) },
      { sourceId, event: event(now, { messageId: 'm2', context: { externalIds: [{ id: 'x', type: 'email' }] } }) },
      { sourceId, event: event(now, { messageId: 'm2' }) },
      { sourceId: randomUUID(), event: event(now, { messageId: 'm1' }) },
    ]);
    expect(outcomes).toEqual(['duplicate', 'accepted', 'duplicate', 'accepted']);
    expect((await rowsOf(sourceId)).map((r) => [r.message_id, r.user_id, r.anonymous_id])).toEqual([
      ['m1', 'u1', 'a1'],
      ['m2', 'u1', null],
    ]);
    const [m2] = await queryTestDb<{ external_ids: unknown; traits: unknown; type: string; event: string }>(
      `SELECT external_ids, traits, type, event FROM events WHERE source_id = $1 AND message_id = 'm2'`,
      [sourceId],
    );
    expect(m2).toEqual({ external_ids: [{ id: 'x', type: 'email' }], traits: null, type: 'track', event: 'Clicked' });
    const keys = await queryTestDb('SELECT message_id FROM event_dedupe WHERE source_id = $1 ORDER BY 1', [sourceId]);
    expect(keys).toEqual([{ message_id: 'm1' }, { message_id: 'm2' }]);
  });

  it('is exact across two processes committing the same keys at once', async () => {
    const sourceId = randomUUID();
    const now = new Date();
    const group = (from: number): SourceEvent[] =>
      Array.from({ length: 200 }, (_, i) => ({ sourceId, event: event(now, { messageId: `k${(from + i) % 300}` }) }));
    const stores = [store, other.get(EventStore)];
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => stores[i % 2].commit(group(i * 50))));
    const accepted = results.flat().filter((o) => o === 'accepted').length;
    const [{ n }] = await queryTestDb<{ n: string }>('SELECT count(*) AS n FROM events WHERE source_id = $1', [
      sourceId,
    ]);
    const [{ k }] = await queryTestDb<{ k: string }>(
      'SELECT count(DISTINCT message_id) AS k FROM events WHERE source_id = $1',
      [sourceId],
    );
    expect(accepted).toBe(Number(n));
    expect(Number(k)).toBe(Number(n));
    expect(Number(n)).toBe(new Set(results.flatMap((_, i) => group(i * 50).map((e) => e.event.messageId))).size);
  });

  it('takes a key over once its window (7 days) has passed, and expires old keys', async () => {
    const sourceId = randomUUID();
    const t0 = new Date();
    expect(await store.commit([{ sourceId, event: event(t0, { messageId: 'w' }) }])).toEqual(['accepted']);
    const sixDays = new Date(t0.getTime() + 6 * DAY);
    expect(await store.commit([{ sourceId, event: event(sixDays, { messageId: 'w' }) }])).toEqual(['duplicate']);
    const eightDays = new Date(t0.getTime() + 8 * DAY);
    expect(await store.commit([{ sourceId, event: event(eightDays, { messageId: 'w' }) }])).toEqual(['accepted']);
    expect((await rowsOf(sourceId)).length).toBe(2);

    const otherSource = randomUUID();
    await store.commit([{ sourceId: otherSource, event: event(t0, { messageId: 'old' }) }]);
    const report = await app.get(EventMaintenance).run(new Date(t0.getTime() + 7 * DAY + 1000), 3650);
    expect(report.expiredKeys).toBeGreaterThanOrEqual(1);
    expect(await queryTestDb('SELECT 1 FROM event_dedupe WHERE source_id = $1', [otherSource])).toEqual([]);
    // The key taken over at +8 days is still held.
    expect(await queryTestDb('SELECT 1 FROM event_dedupe WHERE source_id = $1', [sourceId])).toHaveLength(1);
  });

  it('splits events across midnight into day partitions, created on demand, and drops whole days', async () => {
    const sourceId = randomUUID();
    const before = new Date('2020-02-29T23:59:59.900Z');
    const after = new Date('2020-03-01T00:00:00.100Z');
    const outcomes = await store.commit([
      { sourceId, event: event(before, { messageId: 'late' }) },
      { sourceId, event: event(after, { messageId: 'early' }) },
    ]);
    expect(outcomes).toEqual(['accepted', 'accepted']);
    expect((await rowsOf(sourceId)).map((r) => [r.message_id, r.partition])).toEqual([
      ['late', 'events_p20200229'],
      ['early', 'events_p20200301'],
    ]);
    // Retention of half a day at noon on March 1st: February 29th ended 12 hours ago, March 1st has not.
    const report = await app.get(EventMaintenance).run(new Date('2020-03-01T12:00:00.000Z'), 0.5);
    expect(report.dropped).toEqual(['events_p20200229']);
    expect((await rowsOf(sourceId)).map((r) => r.message_id)).toEqual(['early']);
  });

  it('groups concurrent requests into fewer commits and answers each only after its commit', async () => {
    const ingestion = app.get(IngestionService);
    const commits: number[] = [];
    const original = store.commitGated.bind(store);
    const spy = jest.spyOn(store, 'commitGated').mockImplementation(async (events) => {
      commits.push(events.length);
      return original(events);
    });
    try {
      const sourceId = randomUUID();
      const visibleAtAnswer = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const item = normalizeMessage(
            { userId: `u${i}`, messageId: `g${i}` },
            { receivedAt: new Date() },
            'identify',
          );
          const [result] = await ingestion.ingest(sourceId, [item]);
          expect(result).toEqual({ status: 'accepted', messageId: `g${i}` });
          // Read on another connection right at the answer: the commit is done.
          return (
            await queryTestDb('SELECT 1 FROM events WHERE source_id = $1 AND message_id = $2', [sourceId, `g${i}`])
          ).length;
        }),
      );
      expect(visibleAtAnswer).toEqual(Array(40).fill(1));
      expect(commits.reduce((a, b) => a + b, 0)).toBe(40);
      expect(commits.length).toBeLessThan(40);
      expect(commits[0]).toBe(40); // all arrived in the same tick: one group
    } finally {
      spy.mockRestore();
    }
  });

  it('pages a source’s events newest first, each once, when many share one millisecond', async () => {
    const sourceId = randomUUID();
    const at = new Date();
    // Twelve rows in one millisecond: ordered by id as text ('10' before '9'), pages would skip and repeat rows.
    await store.commit(
      Array.from({ length: 12 }, (_, i) => ({ sourceId, event: event(at, { messageId: `ms-${i}` }) })),
    );
    const reader = new EventReader(app.get(DataSource));
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { items, cursors, hasNextPage } = await reader.newest(sourceId, 5, after);
      seen.push(...items.map((e) => e.messageId));
      if (!hasNextPage) {
        break;
      }
      after = cursors[cursors.length - 1];
    }
    const stored = await queryTestDb<{ message_id: string }>(
      'SELECT message_id FROM events WHERE source_id = $1 ORDER BY id DESC',
      [sourceId],
    );
    expect(seen).toEqual(stored.map((r) => r.message_id));
  });

  it('is emptied by the source purge across partitions, other sources’ rows untouched', async () => {
    const workspaceId = (await app.get(WorkspacesService).create('Purge events')).workspace.id;
    const source = await app.get(SourcesService).create(workspaceId, {
      name: 'web',
      kind: SourceKind.JAVASCRIPT,
      environment: SourceEnvironment.PRODUCTION,
    });
    const bystander = randomUUID();
    // First row of two fresh partitions each: the same ctid (0,1) in both.
    await store.commit([{ sourceId: source.id, event: event(new Date('2019-01-01T10:00:00Z'), { messageId: 'p1' }) }]);
    await store.commit([{ sourceId: bystander, event: event(new Date('2019-01-02T10:00:00Z'), { messageId: 'p2' }) }]);
    await queryTestDb('UPDATE sources SET deleted_at = now(), purged_at = now() WHERE id = $1', [source.id]);
    const purge = new SourcePurgeStore(app.get(DataSource));
    let batch = await purge.deleteBatch(source.id, 100);
    while (batch.kind === 'deleted') {
      batch = await purge.deleteBatch(source.id, 100);
    }
    expect(batch.kind).toBe('empty');
    expect(await rowsOf(source.id)).toEqual([]);
    expect((await rowsOf(bystander)).map((r) => r.message_id)).toEqual(['p2']);
  });
});
