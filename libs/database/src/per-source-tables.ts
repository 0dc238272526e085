/** A table holding rows that belong to one source; the purge of a deleted source empties it. */
export interface PerSourceTable {
  table: string;
  /** The column holding the source id (snake_case, as in the database). */
  sourceIdColumn: string;
}

const registry: PerSourceTable[] = [];

/**
 * Registers a per-source table with the purge. Every table with a `source_id` column (or a foreign key to
 * `sources`) must be registered: test/integration/per-source-tables.int-spec.ts fails otherwise.
 */
export function registerPurgeTable(table: string, sourceIdColumn = 'source_id'): void {
  if (!registry.some((t) => t.table === table)) {
    registry.push({ table, sourceIdColumn });
  }
}

/** Registered tables, in registration order (the purge empties them in this order). */
export function perSourceTables(): readonly PerSourceTable[] {
  return registry;
}

// The tables of issue 4 and earlier. Later tables register next to their entity or here.
registerPurgeTable('records');
registerPurgeTable('sync_state');
registerPurgeTable('sync_runs');
registerPurgeTable('source_task_queues');
registerPurgeTable('source_credentials');
registerPurgeTable('source_write_keys');
// Issue 8: the provider account a source's credentials belong to (request_budgets is per account: kept).
registerPurgeTable('source_provider_accounts');
// Issue 9: the `created` windows of sliced first syncs (also removed with their run).
registerPurgeTable('sync_slices');
// Issue 10: tracking events (partitioned by day: the purge deletes by source across partitions) and their
// dedupe keys. Raw-SQL tables of libs/ingestion, registered here so every process's purge sees them.
registerPurgeTable('events');
registerPurgeTable('event_dedupe');
// Issue 10 step 2: each event-stream source's rate-limit token bucket.
registerPurgeTable('source_rate_buckets');
// Issue 11: quarantined events of BLOCK-mode tracking plans, and the replays of a source's quarantine.
registerPurgeTable('quarantined_events');
registerPurgeTable('quarantine_replays');
// Issue 11: the ingestion log (counters per minute and the rejected items), written by libs/ingestion.
registerPurgeTable('ingestion_counters');
registerPurgeTable('ingestion_rejections');
