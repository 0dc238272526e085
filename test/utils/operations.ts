// GraphQL documents shared by the e2e tests, written as a client would write them.
export const SOURCE_FIELDS = `
  id name description kind environment status createdAt updatedAt deletedAt
  trackingConfig { allowedOrigins autocapture { pageViews clicks formSubmits } }
  rateLimit { eventsPerSecond burst }
  identitySettings { mergeOn attachOnly }
  writeKeys { id prefix status expiresAt revokedAt }
  credentials { isSet updatedAt }`;

export const CREATE_SOURCE = `mutation($input: CreateSourceInput!) { createSource(input: $input) { ${SOURCE_FIELDS} } }`;
export const UPDATE_SOURCE = `mutation($input: UpdateSourceInput!) { updateSource(input: $input) { ${SOURCE_FIELDS} } }`;
export const SOURCE = `query($id: ID!) { source(id: $id) { ${SOURCE_FIELDS} } }`;
export const SOURCES = `query($filter: SourceFilter, $first: Int, $after: String) {
  sources(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${SOURCE_FIELDS} } }
  }
}`;
export const PAUSE_SOURCE = `mutation($id: ID!) { pauseSource(id: $id) { id status } }`;
export const RESUME_SOURCE = `mutation($id: ID!) { resumeSource(id: $id) { id status } }`;
export const DELETE_SOURCE = `mutation($id: ID!) { deleteSource(id: $id) { id deletedAt writeKeys { status } } }`;
export const ISSUE_WRITE_KEY = `mutation($sourceId: ID!) { issueWriteKey(sourceId: $sourceId) { secret writeKey { id prefix status } } }`;
export const ROTATE_WRITE_KEY = `mutation($sourceId: ID!, $overlapSeconds: Int) {
  rotateWriteKey(sourceId: $sourceId, overlapSeconds: $overlapSeconds) { secret writeKey { id prefix status } }
}`;
export const REVOKE_WRITE_KEY = `mutation($id: ID!) { revokeWriteKey(id: $id) { id status revokedAt } }`;
export const SET_CREDENTIALS = `mutation($input: SetSourceCredentialsInput!) { setSourceCredentials(input: $input) { isSet updatedAt } }`;
export const CREATE_API_TOKEN = `mutation($name: String!, $role: ApiTokenRole!) {
  createApiToken(name: $name, role: $role) { secret token { id name role createdAt revokedAt } }
}`;
export const REVOKE_API_TOKEN = `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`;
export const API_TOKENS = `query { apiTokens { id name role lastUsedAt } }`;

export const TRIGGER_SYNC = `mutation($sourceId: ID!, $object: String!) {
  triggerSourceSync(sourceId: $sourceId, object: $object) { workflowId runId temporalUrl }
}`;
export const CANCEL_SYNC = `mutation($sourceId: ID!, $object: String!) {
  cancelSourceSync(sourceId: $sourceId, object: $object) { workflowId runId }
}`;
export const CHECK_CONNECTION = `mutation($id: ID!) { checkSourceConnection(id: $id) { ok message providerCode } }`;
export const SYNC_RUNS = `query($sourceId: ID!, $first: Int) {
  syncRuns(sourceId: $sourceId, first: $first) {
    totalCount
    edges { node { id object mode reason status startedAt finishedAt durationMs recordsRead recordsInserted recordsUpdated
      recordsUnchanged recordsDeleted pages retries error workflowId runId temporalUrl } }
  }
}`;
export const SOURCE_QUEUES = `query($id: ID!) { source(id: $id) { id status taskQueues { taskQueue workerId servingSince } } }`;
export const REGISTER_STRIPE_WEBHOOK = `mutation($sourceId: ID!) {
  registerStripeWebhook(sourceId: $sourceId) { endpointId url replacedEndpoints }
}`;
export const REGISTER_SOURCE_WEBHOOK = `mutation($sourceId: ID!) {
  registerSourceWebhook(sourceId: $sourceId) { endpointId endpointIds url replacedEndpoints }
}`;
export const SOURCE_EVENTS = `query($sourceId: ID!, $first: Int, $after: String) {
  sourceEvents(sourceId: $sourceId, first: $first, after: $after) {
    edges { cursor node { id messageId type event userId anonymousId timestamp receivedAt payload } }
    pageInfo { hasNextPage endCursor }
  }
}`;
export const SOURCE_INGESTION_COUNTS = `query($sourceId: ID!, $from: DateTime!, $to: DateTime!, $granularity: IngestionGranularity!) {
  sourceIngestionCounts(sourceId: $sourceId, from: $from, to: $to, granularity: $granularity) {
    start accepted duplicate rejected quarantined rateLimited
  }
}`;
export const SOURCE_REJECTIONS = `query($sourceId: ID!, $code: String, $first: Int, $after: String) {
  sourceRejections(sourceId: $sourceId, code: $code, first: $first, after: $after) {
    edges { cursor node { id receivedAt messageId code field reason payload truncated } }
    pageInfo { hasNextPage endCursor }
  }
}`;
export const SOURCE_INGESTION_HEALTH = `query($id: ID!, $windowMinutes: Int, $thresholdPercent: Int) {
  source(id: $id) {
    id
    ingestionHealth(windowMinutes: $windowMinutes, thresholdPercent: $thresholdPercent) {
      flagged windowMinutes thresholdPercent since messages rejected rateLimited rejectedPercent rateLimitedPercent
      topReasons { code field count }
    }
  }
}`;
