// The real api, briefly, for a bench's setup: sources and write keys made through GraphQL as a user makes them,
// then the api stops (the benches measure ingest alone).
import { WorkspacesService } from '@app/auth';
import type { AppConfig } from '@app/config';
import { createApiApp } from '../../apps/api/src/create-api-app';

export type BenchGraphql = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/** Runs `use` with a GraphQL caller holding a new workspace's admin token; the api stops afterwards. */
export async function withBenchApi<T>(
  config: AppConfig,
  workspace: string,
  use: (graphql: BenchGraphql) => Promise<T>,
): Promise<T> {
  const app = await createApiApp({ config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
    const { adminToken } = await app.get(WorkspacesService).create(workspace);
    const graphql: BenchGraphql = async <R>(query: string, variables: Record<string, unknown>): Promise<R> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: R; errors?: unknown[] };
      if (body.errors || !body.data) {
        throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      }
      return body.data;
    };
    return await use(graphql);
  } finally {
    await app.close();
  }
}

/** A NODEJS source with the given settings, and a write key issued for it. */
export async function createKeyedSource(
  graphql: BenchGraphql,
  input: Record<string, unknown>,
): Promise<{ id: string; writeKey: string }> {
  const { createSource } = await graphql<{ createSource: { id: string } }>(
    'mutation ($input: CreateSourceInput!) { createSource(input: $input) { id } }',
    { input: { kind: 'NODEJS', environment: 'PRODUCTION', ...input } },
  );
  const { issueWriteKey } = await graphql<{ issueWriteKey: { secret: string } }>(
    'mutation ($id: ID!) { issueWriteKey(sourceId: $id) { secret } }',
    { id: createSource.id },
  );
  return { id: createSource.id, writeKey: issueWriteKey.secret };
}
