import type { EntityManager } from 'typeorm';

const DAY_MS = 86_400_000;
const PARTITION_NAME = /^events_p(\d{4})(\d{2})(\d{2})$/;

/** The UTC day holding `at`, as its first millisecond. */
export function dayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function partitionName(day: Date): string {
  return `events_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

type Queryable = Pick<EntityManager, 'query'>;

/**
 * Creates the day partitions of `events` for `from`'s day and the `daysAhead` days after it. Idempotent,
 * and safe when two ingest processes race (the loser's "already exists" is ignored).
 */
export async function ensureEventPartitions(db: Queryable, from: Date, daysAhead: number): Promise<string[]> {
  const ensured: string[] = [];
  for (let i = 0; i <= daysAhead; i++) {
    const day = new Date(dayStart(from).getTime() + i * DAY_MS);
    const name = partitionName(day);
    try {
      await db.query(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF events FOR VALUES FROM ('${day.toISOString()}') TO ('${new Date(day.getTime() + DAY_MS).toISOString()}')`,
      );
    } catch (error) {
      if (!isAlreadyExists(error)) {
        throw error;
      }
    }
    ensured.push(name);
  }
  return ensured;
}

/** Drops whole day partitions that end at or before `before`; returns their names. */
export async function dropEventPartitionsBefore(db: Queryable, before: Date): Promise<string[]> {
  const rows = await db.query<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'events'::regclass ORDER BY c.relname`,
  );
  const dropped: string[] = [];
  for (const { name } of rows) {
    const match = PARTITION_NAME.exec(name);
    if (!match) {
      continue;
    }
    const end = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + DAY_MS;
    if (end <= before.getTime()) {
      await db.query(`DROP TABLE IF EXISTS "${name}"`);
      dropped.push(name);
    }
  }
  return dropped;
}

/** True when Postgres found no partition for a row (the insert may create it and retry). */
export function isMissingPartition(error: unknown): boolean {
  const e = error as { driverError?: { code?: string; message?: string }; code?: string; message?: string };
  const code = e.driverError?.code ?? e.code;
  const message = e.driverError?.message ?? e.message ?? '';
  return code === '23514' && message.includes('no partition of relation');
}

function isAlreadyExists(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string } }).driverError?.code;
  // 42P07 duplicate_table; 23505 when two sessions create the same table at the same instant (pg_type).
  return code === '42P07' || code === '23505';
}
