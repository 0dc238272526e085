// The sdk-node bench's setup: a NODEJS source and write key made through GraphQL, and the stored rows.
import { WorkspacesService } from '@app/auth';
import type { AppConfig } from '@app/config';
import { Client } from 'pg';
import { createApiApp } from '../../apps/api/src/create-api-app';

/** Creates the source (its rate limit above the offered load) through GraphQL; returns its write key. */
export async function createSource(config: AppConfig): Promise<string> {
  const app = await createApiApp({ config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
    const { adminToken } = await app.get(WorkspacesService).create('bench sdk-node');
    const graphql = async (query: string, variables: Record<string, unknown>): Promise<any> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (body.errors || !body.data) {
        throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      }
      return body.data;
    };
    const rateLimit = { eventsPerSecond: 100_000, burst: 1_000_000 }; // above the offered load
    const input = { name: 'bench sdk-node', kind: 'NODEJS', environment: 'PRODUCTION', rateLimit };
    const { createSource: source } = await graphql(
      'mutation ($input: CreateSourceInput!) { createSource(input: $input) { id } }',
      { input },
    );
    const { issueWriteKey } = await graphql('mutation ($id: ID!) { issueWriteKey(sourceId: $id) { secret } }', {
      id: source.id,
    });
    return issueWriteKey.secret as string;
  } finally {
    await app.close();
  }
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
