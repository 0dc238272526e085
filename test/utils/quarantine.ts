// GraphQL operations and helpers of tracking plans and the quarantine (issue 11).
import { SourceEnvironment, SourceKind } from '@app/common';
import { SourcesService, WriteKeysService } from '@app/sources';
import type { TestApi } from './api';
import { queryTestDb } from './database';

export const SET_TRACKING_PLAN = `mutation($input: UpdateSourceInput!) {
  updateSource(input: $input) {
    id trackingConfig { trackingPlan { mode version events { name propertiesSchema } identifyTraitsSchema } }
  }
}`;
export const SOURCE_QUARANTINE = `query($sourceId: ID!, $first: Int, $after: String, $filter: QuarantineFilterInput) {
  sourceQuarantine(sourceId: $sourceId, first: $first, after: $after, filter: $filter) {
    edges { cursor node { id messageId type eventName status planVersion receivedAt replayedAt expiresAt payload
      violations { code field reason } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const REPLAY_FIELDS =
  'id sourceId workflowId status eventName violationCode scanned replayed stillQuarantined startedAt finishedAt';
export const REPLAY_QUARANTINE = `mutation($sourceId: ID!, $filter: QuarantineFilterInput) {
  replayQuarantine(sourceId: $sourceId, filter: $filter) { ${REPLAY_FIELDS} }
}`;
export const QUARANTINE_REPLAY = `query($sourceId: ID!, $id: ID!) {
  quarantineReplay(sourceId: $sourceId, id: $id) { ${REPLAY_FIELDS} }
}`;

/** An event-stream source of the workspace and a write key for it. */
export async function webSourceWithKey(
  api: TestApi,
  workspaceId: string,
  name: string,
): Promise<{ sourceId: string; key: string }> {
  const source = await api.app.get(SourcesService).create(workspaceId, {
    name,
    kind: SourceKind.JAVASCRIPT,
    environment: SourceEnvironment.PRODUCTION,
  });
  const issued = await api.app.get(WriteKeysService).issue(workspaceId, source.id);
  return { sourceId: source.id, key: issued.secret };
}

/** Posts a batch to ingest and returns its JSON answer (fails on a non-200). */
export async function sendBatch(ingestUrl: string, key: string, batch: Record<string, unknown>[]): Promise<any> {
  const res = await fetch(`${ingestUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ writeKey: key, batch }),
  });
  const body = await res.json();
  if (res.status !== 200) {
    throw new Error(`batch answered ${res.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

export async function rowCount(sql: string, params: unknown[]): Promise<number> {
  const [row] = await queryTestDb<{ n: string }>(sql, params);
  return Number(row.n);
}
