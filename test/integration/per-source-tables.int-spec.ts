import { perSourceTables } from '@app/database';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';

// Every table that holds rows of one source must be registered with the purge (libs/database
// per-source-tables.ts), or a deleted source's data would outlive its purge.
describe('per-source tables registered with the purge', () => {
  beforeAll(() => migrateFresh(requiredEnv('TEST_DATABASE_URL')));

  it('cover every table with a source_id column or a foreign key to sources, in the migrated schema', async () => {
    const bySourceIdColumn = await queryTestDb<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'source_id'
          -- A partition (events_p20261201) is purged through its partitioned table.
          AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition)`,
    );
    const byForeignKey = await queryTestDb<{ table_name: string; column_name: string }>(
      `SELECT rel.relname AS table_name, att.attname AS column_name
         FROM pg_constraint con
         JOIN pg_class rel ON rel.oid = con.conrelid
         JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey)
        WHERE con.contype = 'f' AND con.confrelid = 'public.sources'::regclass`,
    );
    const found = new Set([...bySourceIdColumn, ...byForeignKey].map((r) => `${r.table_name}.${r.column_name}`));
    const registered = new Set(perSourceTables().map((t) => `${t.table}.${t.sourceIdColumn}`));
    // Non-vacuous: the schema does have per-source tables (records at least).
    expect(found.has('records.source_id')).toBe(true);
    expect([...found].filter((t) => !registered.has(t)).sort()).toEqual([]);
    // And nothing registered that the schema does not have (a typo would make the purge fail).
    expect([...registered].filter((t) => !found.has(t)).sort()).toEqual([]);
  });
});
