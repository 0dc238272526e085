import type { DataSource } from 'typeorm';
import { createScratchDatabase, testDataSource } from '../utils/database';

async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

async function tables(ds: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await ds.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await testDataSource(await createScratchDatabase('tributary_migrations')).initialize();
  });
  afterAll(() => ds.destroy());

  it('match the entities exactly (no drift), then run down to nothing and up again', async () => {
    await ds.runMigrations({ transaction: 'each' });
    expect(await tables(ds)).toEqual([
      'api_tokens',
      'concurrency_leases',
      'event_dedupe',
      'events',
      'hubspot_webhook_events',
      'ingestion_counters',
      'ingestion_rejections',
      'quarantine_replays',
      'quarantined_events',
      'records',
      'request_budgets',
      'shopify_webhook_events',
      'source_credentials',
      'source_provider_accounts',
      'source_rate_buckets',
      'source_task_queues',
      'source_write_keys',
      'sources',
      'stripe_webhook_events',
      'sync_runs',
      'sync_slices',
      'sync_state',
      'typeorm_migrations',
      'workspaces',
    ]);
    // Drift: an entity change without a migration shows up here as pending DDL.
    expect(await pendingSchemaChanges(ds)).toEqual([]);

    for (let i = 0; i < ds.migrations.length; i++) {
      await ds.undoLastMigration({ transaction: 'each' });
    }
    expect(await tables(ds)).toEqual(['typeorm_migrations']);
    const types: unknown[] = await ds.query("SELECT typname FROM pg_type WHERE typtype = 'e'");
    expect(types).toEqual([]);

    await ds.runMigrations({ transaction: 'each' });
    expect(await pendingSchemaChanges(ds)).toEqual([]);
  });
});
