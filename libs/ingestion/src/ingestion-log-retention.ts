import type { DataSource } from 'typeorm';

const EXPIRE_BATCH = 10_000;

/**
 * Deletes the ingestion log's rows older than `before` (counters by their minute, rejections by when they
 * were received), in batches of EXPIRE_BATCH so no statement holds many row locks for long. Returns how many.
 */
export async function expireIngestionLog(db: DataSource, before: Date): Promise<number> {
  let total = 0;
  for (const [table, column] of [
    ['ingestion_counters', 'minute'],
    ['ingestion_rejections', 'received_at'],
  ] as const) {
    for (;;) {
      const [, count] = await db.query<[unknown, number]>(
        `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${table} WHERE ${column} < $1 LIMIT ${EXPIRE_BATCH}))`,
        [before.toISOString()],
      );
      total += count;
      if (count < EXPIRE_BATCH) {
        break;
      }
    }
  }
  return total;
}
