import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * TypeORM's pg pool. The commits go straight on it: a query runner (and the entity manager it builds) per
 * group is measurable on the hot path, and the commits need neither.
 */
export function poolOf(em: EntityManager): Pool {
  return (em.connection.driver as PostgresDriver).master as Pool;
}

/**
 * Runs a statement as a named prepared statement on a pooled connection: planning a five-part statement
 * costs more than running it for a small group, and a prepared one is planned once per connection.
 */
export async function runPrepared<T extends QueryResultRow>(
  em: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const { rows } = await poolOf(em).query<T>({ name, text, values });
  return rows;
}

/**
 * `work` in one transaction on one pooled connection: committed when it resolves, rolled back when it
 * throws (then its error is rethrown). A connection whose rollback fails is closed, not pooled again.
 */
export async function inTransaction<T>(em: EntityManager, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await poolOf(em).connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
    throw error;
  } finally {
    client.release(broken);
  }
}

// The part of pg's connection a COPY FROM STDIN needs: what pg's own Query uses to answer CopyInResponse.
interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * `COPY … FROM STDIN` with `data` (already in COPY's format) as the whole input, through pg's submittable
 * interface (the one pg-copy-streams uses, without a stream for data already in memory): send the query,
 * answer CopyInResponse with the data and CopyDone; done on ReadyForQuery. On an error pg drops the query
 * at once (ReadyForQuery then never reaches it), so the error settles it.
 */
export function copyFrom(client: PoolClient, sql: string, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const submittable = {
      submit: (connection: { query(text: string): void }) => connection.query(sql),
      handleCopyInResponse: (connection: CopyConnection) => {
        connection.sendCopyFromChunk(data);
        connection.endCopyFrom();
      },
      handleCommandComplete: () => undefined,
      handleReadyForQuery: () => resolve(),
      handleError: (error: Error) => reject(error),
    };
    void client.query(submittable as unknown as string);
  });
}

const ARRAY_SPECIAL = /["\\]/;
const ARRAY_SPECIALS = /["\\]/g;

/**
 * A Postgres text array literal (a parameter cast to uuid[], text[], timestamptz[] …), every element quoted,
 * `"` and `\` escaped as pg escapes a JS array. Built by joins, not element by element: a group sends
 * thousands of elements, and a per-element loop (pg's, then ours) showed in ingest's B2 profile (~9%).
 */
export function pgTextArray(values: readonly string[]): string {
  if (!ARRAY_SPECIAL.test(values.join(''))) {
    return values.length === 0 ? '{}' : `{"${values.join('","')}"}`;
  }
  return `{${values.map((v) => `"${v.replace(ARRAY_SPECIALS, '\\$&')}"`).join(',')}}`;
}

/** A Postgres integer array literal; null as NULL (JSON's `null`: Postgres reads NULL in any case). */
export function pgIntArray(values: readonly (number | null)[]): string {
  return `{${JSON.stringify(values).slice(1, -1)}}`;
}
