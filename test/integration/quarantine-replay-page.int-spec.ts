// A quarantine replay's page on a real database, without Temporal: what a page retried after a worker was
// killed between its events' commit and its own transaction counts. Its events are stored already, by its own
// first attempt: they count as accepted (the ingestion log moves quarantined → accepted), while an event a
// client resent meanwhile (received at another time) stays a duplicate. A paused source's replay holds (its
// page fails, and the workflow retries it); a deleted source's replay ends.
import { AuthModule, WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind, SourceStatus } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import {
  EventStore,
  IngestionModule,
  QuarantineReplayModule,
  QuarantineReplays,
  QuarantineStore,
  type TrackingEvent,
  normalizeMessage,
} from '@app/ingestion';
import { SourcesModule, SourcesService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { testConfig } from '../utils/test-config';

function event(messageId: string, receivedAt: Date): TrackingEvent {
  const result = normalizeMessage({ userId: 'u1', event: 'Held', messageId }, { receivedAt }, 'track');
  if (!result.ok) {
    throw new Error(result.reason);
  }
  return result.event;
}

/** A page's answer, nothing left quarantined. */
const page = (done: boolean, scanned: number, replayed: number) => ({ done, scanned, replayed, stillQuarantined: 0 });

describe('a quarantine replay page on a real database', () => {
  let app: INestApplicationContext;

  /** A NODEJS source with `ids` quarantined a minute ago, and a replay of it (not started). */
  async function quarantined(ids: string[]) {
    const { workspace } = await app.get(WorkspacesService).create(`Replay ${randomUUID()}`);
    const { id: sourceId } = await app.get(SourcesService).create(workspace.id, {
      name: 'held',
      kind: SourceKind.NODEJS,
      environment: SourceEnvironment.PRODUCTION,
    });
    const receivedAt = new Date(Date.now() - 60_000);
    const held = ids.map((id) => event(id, receivedAt));
    const violations = [{ code: 'unknown_event' as const, field: 'event', reason: 'not in the plan' }];
    await app.get(QuarantineStore).hold(
      sourceId,
      1,
      held.map((e) => ({ event: e, violations })),
    );
    const replayId = randomUUID();
    await app.get(QuarantineReplays).create(replayId, sourceId, `replay:${sourceId}:${replayId}`, {});
    return { workspaceId: workspace.id, sourceId, receivedAt, held, replayId };
  }

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(testConfig()),
        DatabaseModule,
        AuthModule,
        SourcesModule,
        IngestionModule,
        QuarantineReplayModule,
      ],
    }).compile();
    app = await moduleRef.init();
  });
  afterAll(() => app?.close());

  it('a page retried after its commit counts its own stored events as accepted, a client’s resend as duplicate', async () => {
    // Three events quarantined (and counted so) one minute ago; the source has no plan now, so all pass.
    const { sourceId, receivedAt, held, replayId } = await quarantined(['q1', 'q2', 'q3']);
    await queryTestDb(
      `INSERT INTO ingestion_counters (source_id, minute, status, count)
       VALUES ($1, date_trunc('minute', $2::timestamptz), 'quarantined', 3)`,
      [sourceId, receivedAt.toISOString()],
    );
    const store = app.get(EventStore);
    // The killed first attempt: q1 and q2 committed, then the worker died before the page's transaction.
    expect(await store.commit(held.slice(0, 2).map((e) => ({ sourceId, event: e })))).toEqual(['accepted', 'accepted']);
    // Meanwhile a client resent q3 and it was accepted as a new event (received now).
    expect(await store.commit([{ sourceId, event: event('q3', new Date()) }])).toEqual(['accepted']);

    const replays = app.get(QuarantineReplays);
    expect(await replays.replayPage(replayId, 10)).toEqual(page(false, 3, 3));
    expect((await replays.replayPage(replayId, 10)).done).toBe(true);

    const counts = await queryTestDb<{ status: string; n: string }>(
      `SELECT status, sum(count)::text AS n FROM ingestion_counters
        WHERE source_id = $1 AND minute = date_trunc('minute', $2::timestamptz) GROUP BY status ORDER BY status`,
      [sourceId, receivedAt.toISOString()],
    );
    expect(counts).toEqual([
      { status: 'accepted', n: '2' },
      { status: 'duplicate', n: '1' },
      { status: 'quarantined', n: '0' },
    ]);
    const stored = await queryTestDb<{ message_id: string; n: string }>(
      'SELECT message_id, count(*)::text AS n FROM events WHERE source_id = $1 GROUP BY 1 ORDER BY 1',
      [sourceId],
    );
    expect(stored).toEqual(['q1', 'q2', 'q3'].map((message_id) => ({ message_id, n: '1' })));
  });

  it('holds while its source is paused (the page fails, so the workflow retries it) and goes on once resumed', async () => {
    const { workspaceId, sourceId, replayId } = await quarantined(['p1', 'p2']);
    const replays = app.get(QuarantineReplays);
    await app.get(SourcesService).setStatus(workspaceId, sourceId, SourceStatus.PAUSED);
    await expect(replays.replayPage(replayId, 10)).rejects.toThrow(
      `Source ${sourceId} is PAUSED: the replay waits until it is resumed`,
    );
    expect(await queryTestDb('SELECT 1 FROM events WHERE source_id = $1', [sourceId])).toEqual([]);
    await app.get(SourcesService).setStatus(workspaceId, sourceId, SourceStatus.ACTIVE);
    expect(await replays.replayPage(replayId, 10)).toMatchObject({ done: false, replayed: 2 });
  });

  it('ends with nothing replayed once its source is deleted (the purge empties the quarantine)', async () => {
    const { sourceId, replayId } = await quarantined(['d1']);
    await queryTestDb('UPDATE sources SET deleted_at = now() WHERE id = $1', [sourceId]);
    const replays = app.get(QuarantineReplays);
    expect(await replays.replayPage(replayId, 10)).toEqual(page(true, 0, 0));
    expect((await replays.get(sourceId, replayId))?.status).toBe('completed');
    expect(await queryTestDb('SELECT 1 FROM events WHERE source_id = $1', [sourceId])).toEqual([]);
  });
});
