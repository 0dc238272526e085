import type { TestApi } from './api';
import { queryTestDb } from './database';
import { gql } from './gql';
import * as op from './operations';

/** Creates a NODEJS source and issues its write key over GraphQL, as a user would. */
export async function createTrackingSource(
  api: TestApi,
  token: string,
  name: string,
  rateLimit?: { eventsPerSecond: number; burst: number },
): Promise<{ id: string; writeKey: string }> {
  const call = async (query: string, variables: Record<string, unknown>): Promise<any> => {
    const res = await gql(api.url, query, variables, token);
    if (res.errors) {
      throw new Error(JSON.stringify(res.errors));
    }
    return res.data;
  };
  const { createSource } = await call(op.CREATE_SOURCE, {
    input: { name, kind: 'NODEJS', environment: 'PRODUCTION' },
  });
  if (rateLimit) {
    await call(op.UPDATE_SOURCE, { input: { id: createSource.id, rateLimit } });
  }
  const { issueWriteKey } = await call(op.ISSUE_WRITE_KEY, { sourceId: createSource.id });
  return { id: createSource.id, writeKey: issueWriteKey.secret };
}

/** How many rows each messageId of a source has in `events`. */
export async function copiesByMessageId(sourceId: string): Promise<Map<string, number>> {
  const rows = await queryTestDb<{ message_id: string; copies: string }>(
    'SELECT message_id, count(*) AS copies FROM events WHERE source_id = $1 GROUP BY message_id',
    [sourceId],
  );
  return new Map(rows.map((r) => [r.message_id, Number(r.copies)]));
}
