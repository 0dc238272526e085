// Large groups written by COPY (event-copy-commit.ts) against real Postgres: the same rows as the
// one-statement path (event-commit.ts), nasty strings included; the same dedupe, across two processes too;
// the rate limit taken in the same transaction; nothing charged when the COPY fails; a missing partition
// created and the group retried.
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import {
  COPY_MIN_EVENTS,
  EventStore,
  IngestionModule,
  IngestionService,
  normalizeMessage,
  RateLimitedError,
  type TrackingEvent,
} from '@app/ingestion';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { commitGatedEvents } from '../../libs/ingestion/src/event-commit';
import { copyGatedEvents } from '../../libs/ingestion/src/event-copy-commit';
import { ensureEventPartitions } from '../../libs/ingestion/src/event-partitions';
import { TokenLeases } from '../../libs/ingestion/src/token-leases';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { testConfig } from '../utils/test-config';

const DAY = 86_400_000;
const WINDOW = 7 * DAY;

function event(fields: Record<string, unknown>, receivedAt = new Date()): TrackingEvent {
  const result = normalizeMessage({ type: 'track', userId: 'u1', event: 'Clicked', ...fields }, { receivedAt });
  if (!result.ok) {
    throw new Error(result.reason);
  }
  return result.event;
}

const items = (prefix: string, count: number, name = 'Clicked') =>
  Array.from({ length: count }, (_, i) => {
    // The name is set after validation so that a test can send what validation would refuse.
    const e = { ...event({ messageId: `${prefix}${i}` }), event: name };
    return { ok: true as const, event: e };
  });

/** Every column but id, as Postgres gives them back, in message_id order. */
const storedRows = (sourceId: string) =>
  queryTestDb<Record<string, unknown>>(
    `SELECT message_id, type, event, user_id, anonymous_id, group_id, previous_id, traits, external_ids,
            timestamp, original_timestamp, sent_at, received_at, payload
       FROM events WHERE source_id = $1 ORDER BY message_id COLLATE "C"`,
    [sourceId],
  );

const storedIds = async (sourceId: string) => (await storedRows(sourceId)).map((r) => r.message_id);

/** What the pooled clients are sent while `work` runs: statements by text or name, COPY's submittable as 'COPY'. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const spy = jest.spyOn(Client.prototype, 'query');
  try {
    await work();
    return spy.mock.calls.map(([first]: unknown[]) => {
      const q = first as string | { name?: string; text?: string; submit?: unknown };
      return typeof q === 'string' ? q : (q.name ?? (q.submit ? 'COPY' : (q.text ?? '?')));
    });
  } finally {
    spy.mockRestore();
  }
}

// Strings COPY's text format must escape, and some it must leave alone.
const NASTY = [
  'back\\slash',
  '\\N',
  '\\.',
  'tab\there',
  'new\nline',
  'cr\rlf\n',
  'quote " \'',
  'ünï ✓ 🎉 \u2028',
  '\\',
];

describe('large groups written by COPY', () => {
  let app: INestApplicationContext;
  let other: INestApplicationContext;
  let db: DataSource;

  const context = async () =>
    (
      await Test.createTestingModule({
        imports: [ConfigModule.forRoot(testConfig()), DatabaseModule, IngestionModule],
      }).compile()
    ).init();

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    app = await context();
    // A second context: its own pool, as a second ingest process would have.
    other = await context();
    db = app.get(DataSource);
  });
  afterAll(async () => {
    await other?.close();
    await app?.close();
  });

  it('stores nasty strings exactly as the one-statement path does, and as they were sent', async () => {
    const receivedAt = new Date();
    const raw = NASTY.map((s, i) => ({
      messageId: `m${i}${s}`,
      event: `e ${s}`,
      userId: `u ${s}`,
      anonymousId: s,
      traits: { [`k ${s}`]: s, nested: [s, { s }] },
      context: { externalIds: [{ id: s, type: 'email' }], page: { title: s } },
      properties: { s, n: 1.5, ok: true, none: null },
    }));
    const viaCopy = randomUUID();
    const viaStatement = randomUUID();
    const gated = (sourceId: string) => raw.map((r) => ({ sourceId, event: event(r, receivedAt) }));
    const outcomes = await copyGatedEvents(db.manager, gated(viaCopy), WINDOW, new TokenLeases());
    expect(outcomes.map((o) => o.status)).toEqual(raw.map(() => 'accepted'));
    await commitGatedEvents(db.manager, gated(viaStatement), WINDOW, new TokenLeases());

    const copied = await storedRows(viaCopy);
    expect(copied).toEqual(await storedRows(viaStatement));
    const sent = [...gated(viaCopy)].sort((a, b) =>
      Buffer.compare(Buffer.from(a.event.messageId), Buffer.from(b.event.messageId)),
    );
    expect(copied).toEqual(
      sent.map(({ event: e }) => ({
        message_id: e.messageId,
        type: 'track',
        event: e.event,
        user_id: e.userId,
        anonymous_id: e.anonymousId,
        group_id: null,
        previous_id: null,
        traits: e.traits,
        external_ids: e.externalIds,
        timestamp: e.timestamp,
        original_timestamp: null,
        sent_at: null,
        received_at: receivedAt,
        payload: e.payload,
      })),
    );
  });

  it('dedupes as the statement does: a held key and a repeat in the group are duplicates, an expired key is taken over', async () => {
    const sourceId = randomUUID();
    const t0 = new Date();
    // Straight to the COPY path, past the store that creates missing partitions.
    await ensureEventPartitions(db.manager, t0, 8);
    const commit = (ids: string[], at = t0) =>
      copyGatedEvents(
        db.manager,
        ids.map((messageId) => ({ sourceId, event: event({ messageId }, at) })),
        WINDOW,
        new TokenLeases(),
      ).then((outcomes) => outcomes.map((o) => o.status));
    expect(await commit(['a'])).toEqual(['accepted']);
    expect(await commit(['a', 'b', 'b', 'c'])).toEqual(['duplicate', 'accepted', 'duplicate', 'accepted']);
    expect(await commit(['a'], new Date(t0.getTime() + 6 * DAY))).toEqual(['duplicate']);
    expect(await commit(['a'], new Date(t0.getTime() + 8 * DAY))).toEqual(['accepted']);
    expect(await storedIds(sourceId)).toEqual(['a', 'a', 'b', 'c']);
    const [key] = await queryTestDb<{ expires_at: Date }>(
      `SELECT expires_at FROM event_dedupe WHERE source_id = $1 AND message_id = 'a'`,
      [sourceId],
    );
    expect(key.expires_at.getTime()).toBe(t0.getTime() + 8 * DAY + WINDOW);
  });

  it('is the path of groups from COPY_MIN_EVENTS on; smaller ones take the one statement', async () => {
    const store = app.get(EventStore);
    const sourceId = randomUUID();
    const group = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ sourceId, event: event({ messageId: `${prefix}${i}` }) }));
    expect(await statementsOf(() => store.commit(group('s', COPY_MIN_EVENTS - 1)))).toEqual([
      'tributary_commit_events',
    ]);
    expect(await statementsOf(() => store.commit(group('l', COPY_MIN_EVENTS)))).toEqual([
      'BEGIN',
      'tributary_commit_event_keys',
      'COPY',
      'COMMIT',
    ]);
    expect(await storedIds(sourceId)).toHaveLength(2 * COPY_MIN_EVENTS - 1);
  });

  it('creates a missing day partition and retries the group', async () => {
    const sourceId = randomUUID();
    const at = new Date('2020-04-01T12:00:00.000Z');
    const events = Array.from({ length: COPY_MIN_EVENTS }, (_, i) => ({
      sourceId,
      event: event({ messageId: `p${i}` }, at),
    }));
    const outcomes = await app.get(EventStore).commit(events);
    expect(outcomes).toEqual(events.map(() => 'accepted'));
    const partitions = await queryTestDb<{ partition: string }>(
      'SELECT DISTINCT tableoid::regclass::text AS partition FROM events WHERE source_id = $1',
      [sourceId],
    );
    expect(partitions).toEqual([{ partition: 'events_p20200401' }]);
  });

  it('is exact across two processes committing the same keys at once, on both paths', async () => {
    const sourceId = randomUUID();
    const now = new Date();
    const stores = [app.get(EventStore), other.get(EventStore)];
    // Even commits are large (COPY), odd ones small (one statement); their keys overlap.
    const size = (i: number) => (i % 2 === 0 ? COPY_MIN_EVENTS : Math.ceil(COPY_MIN_EVENTS / 2));
    const group = (i: number) =>
      Array.from({ length: size(i) }, (_, k) => ({
        sourceId,
        event: event({ messageId: `k${(i * 60 + k) % 400}` }, now),
      }));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2].commit(group(i))));
    const accepted = results.flat().filter((o) => o === 'accepted').length;
    const ids = await storedIds(sourceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(accepted).toBe(ids.length);
    expect(ids.length).toBe(new Set(results.flatMap((_, i) => group(i).map((e) => e.event.messageId))).size);
  });

  it('takes the rate limit in the same transaction: a request over it stores nothing', async () => {
    const ingestion = app.get(IngestionService);
    const sourceId = randomUUID();
    const size = Math.ceil(COPY_MIN_EVENTS / 2);
    // Three requests in the same tick, one group of at least COPY_MIN_EVENTS; two fit the burst.
    const limit = { eventsPerSecond: 0.001, burst: 2 * size };
    let answers: PromiseSettledResult<unknown>[] = [];
    const sent = await statementsOf(async () => {
      answers = await Promise.allSettled([
        ingestion.ingest(sourceId, items('a', size), limit),
        ingestion.ingest(sourceId, items('b', size), limit),
        ingestion.ingest(sourceId, items('c', size), limit),
      ]);
    });
    expect(sent).toEqual(['BEGIN', 'tributary_commit_event_keys', 'COPY', 'COMMIT']);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((answers[2] as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitedError);
    expect(((answers[2] as PromiseRejectedResult).reason as RateLimitedError).verdict).toMatchObject({
      admitted: false,
      limit: 2 * size,
      remaining: 0,
    });
    const expected = [...items('a', size), ...items('b', size)].map((i) => i.event.messageId);
    expect(await storedIds(sourceId)).toEqual(expected.sort());
    const keys = await queryTestDb('SELECT 1 FROM event_dedupe WHERE source_id = $1', [sourceId]);
    expect(keys).toHaveLength(2 * size);
  });

  it('charges no tokens, keeps no key and gives the lease back when the COPY fails', async () => {
    const ingestion = app.get(IngestionService);
    const store = app.get(EventStore);
    const sourceId = randomUUID();
    // The first take also takes a lease: 0.1 s of the rate (1,000 events), within 1% of the burst (1,000).
    const limit = { eventsPerSecond: 10_000, burst: 100_000 };
    const tokens = async () =>
      Number(
        (
          await queryTestDb<{ tokens: number }>('SELECT tokens FROM source_rate_buckets WHERE source_id = $1', [
            sourceId,
          ])
        )[0].tokens,
      );
    await ingestion.ingest(sourceId, items('ok', COPY_MIN_EVENTS), limit);
    const lease = store.leases.heldFor(sourceId);
    expect(lease).toBe(1_000);
    const before = await tokens();
    // NUL in text: Postgres refuses it in the COPY, after the keys were inserted.
    await expect(ingestion.ingest(sourceId, items('bad', COPY_MIN_EVENTS, 'bad\u0000name'), limit)).rejects.toThrow(
      /0x00/,
    );
    expect(store.leases.heldFor(sourceId)).toBe(lease);
    expect(await tokens()).toBeCloseTo(before, 0);
    // Without a lease to pay, the bucket judges: the failed take rolled back with the keys.
    const bare = randomUUID();
    const small = { eventsPerSecond: 0.001, burst: COPY_MIN_EVENTS };
    await expect(ingestion.ingest(bare, items('x', COPY_MIN_EVENTS, 'bad\u0000name'), small)).rejects.toThrow();
    expect(await queryTestDb('SELECT 1 FROM event_dedupe WHERE source_id = $1', [bare])).toEqual([]);
    const retried = await ingestion.ingest(bare, items('x', COPY_MIN_EVENTS), small);
    expect(retried.map((r) => r.status)).toEqual(Array(COPY_MIN_EVENTS).fill('accepted'));
  });
});
