// The sdk-node bench's setup: a NODEJS source and write key made through GraphQL, and the stored rows.
import type { AppConfig } from '@app/config';
import { Client } from 'pg';
import { createKeyedSource, withBenchApi } from '../lib/bench-api';

/** Creates the source (its rate limit above the offered load) through GraphQL; returns its write key. */
export async function createSource(config: AppConfig): Promise<string> {
  const rateLimit = { eventsPerSecond: 100_000, burst: 1_000_000 }; // above the offered load
  const { writeKey } = await withBenchApi(config, 'bench sdk-node', (graphql) =>
    createKeyedSource(graphql, { name: 'bench sdk-node', rateLimit }),
  );
  return writeKey;
}

/** Distinct stored messageIds (both sides and the warm-up). */
export async function countEvents(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(DISTINCT message_id) AS n FROM events');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}
