import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { writeRecords } from '../../libs/sync/src/record-writer';
import { migrateFresh, queryTestDb, requiredEnv, testDataSource, truncateAll } from '../utils/database';

interface Row {
  external_id: string;
  payload: Record<string, unknown>;
  seen_run_id: string;
  deleted_at: Date | null;
  changed_at: string | null;
}

// The set-based writer on the real test Postgres: what it counts, and what it rewrites.
describe('writeRecords', () => {
  let db: DataSource;
  let sourceId: string;

  beforeAll(async () => {
    const url = requiredEnv('TEST_DATABASE_URL');
    await migrateFresh(url);
    await truncateAll(url);
    db = await testDataSource(url).initialize();
    const [workspace] = await queryTestDb<{ id: string }>("INSERT INTO workspaces (name) VALUES ('W') RETURNING id");
    [{ id: sourceId }] = await queryTestDb<{ id: string }>(
      `INSERT INTO sources (workspace_id, name, kind, environment, rate_limit, identity_settings)
       VALUES ($1, 'Writer', 'STRIPE', 'PRODUCTION', '{}', '{}') RETURNING id`,
      [workspace.id],
    );
  });
  afterAll(() => db?.destroy());

  const write = (runId: string, records: { externalId: string; payload: Record<string, unknown> }[]) =>
    db.transaction((em) => writeRecords(em, { sourceId, object: 'customers', runId }, records));
  const rows = async (): Promise<Map<string, Row>> =>
    new Map(
      (
        await queryTestDb<Row & Record<string, unknown>>(
          'SELECT external_id, payload, seen_run_id, deleted_at, changed_at::text FROM records WHERE source_id = $1',
          [sourceId],
        )
      ).map((r) => [r.external_id, r]),
    );

  it('inserts, then counts unchanged (any key order), updated and revived rows; every row seen by the run', async () => {
    const first = randomUUID();
    const a = { id: 'a', name: 'Ada', address: { city: 'Paris', zip: '75001' } };
    const b = { id: 'b', name: 'Bob' };
    const c = { id: 'c', name: 'Cy' };
    expect(
      await write(
        first,
        [a, b, c].map((p) => ({ externalId: p.id, payload: p })),
      ),
    ).toEqual({
      read: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
    });
    await queryTestDb("UPDATE records SET deleted_at = now() WHERE source_id = $1 AND external_id = 'c'", [sourceId]);
    const before = await rows();

    const second = randomUUID();
    // The same content as `a` with keys in another order, `b` changed, `c` seen again after its deletion,
    // and `d` twice in the batch (the last one wins).
    const reordered = { address: { zip: '75001', city: 'Paris' }, name: 'Ada', id: 'a' };
    const counts = await write(second, [
      { externalId: 'a', payload: reordered },
      { externalId: 'b', payload: { ...b, name: 'Bobby' } },
      { externalId: 'c', payload: c },
      { externalId: 'd', payload: { id: 'd', v: 1 } },
      { externalId: 'd', payload: { id: 'd', v: 2 } },
    ]);
    expect(counts).toEqual({ read: 5, inserted: 1, updated: 2, unchanged: 1 });

    const after = await rows();
    expect([...after.values()].every((r) => r.seen_run_id === second)).toBe(true);
    expect(after.get('a')?.payload).toEqual(a);
    expect(after.get('b')?.payload).toEqual({ id: 'b', name: 'Bobby' });
    expect(after.get('c')?.deleted_at).toBeNull();
    expect(after.get('d')?.payload).toEqual({ id: 'd', v: 2 });
    // changed_at moves only with the content: it says when a sync last found the payload new or different.
    expect(after.get('a')?.changed_at).toBe(before.get('a')?.changed_at);
    for (const id of ['b', 'c']) {
      expect(after.get(id)?.changed_at).not.toBe(before.get(id)?.changed_at);
    }
  });

  it('counts a payload unchanged only when its content is equal, nested values included', async () => {
    const run = randomUUID();
    await write(run, [{ externalId: 'n', payload: { id: 'n', meta: { tags: ['x', 'y'] } } }]);
    const again = randomUUID();
    expect(await write(again, [{ externalId: 'n', payload: { id: 'n', meta: { tags: ['y', 'x'] } } }])).toMatchObject({
      updated: 1,
      unchanged: 0,
    });
  });
});
