import type { DataSource } from 'typeorm';

// Arbitrary but fixed: every api instance contends for the same advisory lock.
export const MIGRATION_LOCK_KEY = 7_231_000_001;

/**
 * Applies pending migrations while holding a session-level Postgres advisory lock, so api instances that
 * boot at once never race: the first migrates, the others wait and then find nothing pending.
 * Returns the names of the migrations this call applied.
 */
export async function runMigrationsWithLock(dataSource: DataSource): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
