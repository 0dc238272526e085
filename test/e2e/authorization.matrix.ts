import { randomUUID } from 'node:crypto';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';
import { QUARANTINE_REPLAY, REPLAY_QUARANTINE, SOURCE_QUARANTINE } from '../utils/quarantine';
import { DELETED_SOURCES, RESTORE_SOURCE } from '../utils/source-lifecycle';

export type Role = 'ADMIN' | 'INTEGRATOR';
export type Vars = Record<string, unknown>;

/** Workspace A's objects (the one under test) and the helpers cases use to make their own. */
export interface Fixtures {
  web: string;
  stripe: string;
  writeKeyId: string;
  adminTokenId: string;
  /** A deleted source of workspace A, still within its purge grace period. */
  deleted: string;
  newSource(kind?: string): Promise<string>;
  newDeletedSource(): Promise<string>;
  newWriteKey(): Promise<{ sourceId: string; writeKeyId: string }>;
  newToken(): Promise<string>;
}

/**
 * Every Query and Mutation field: who may call it, an operation that calls it, and (for fields that take
 * an id) the variables naming workspace A's objects that workspace B's admin then tries. The test derives
 * the field list from the api's own schema and fails when a field is missing here. To add a field, add
 * one entry; `vars` may create what the call consumes (a source to delete, a token to revoke).
 */
export const MATRIX: Record<
  string,
  { roles: Role[]; op: string; vars: (f: Fixtures) => Vars | Promise<Vars>; foreign?: (f: Fixtures) => Vars }
> = {
  // Queries
  apiTokens: { roles: ['ADMIN'], op: op.API_TOKENS, vars: () => ({}) },
  source: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: op.SOURCE,
    vars: (f) => ({ id: f.web }),
    foreign: (f) => ({ id: f.web }),
  },
  sources: { roles: ['ADMIN', 'INTEGRATOR'], op: op.SOURCES, vars: () => ({}) },
  deletedSources: { roles: ['ADMIN'], op: DELETED_SOURCES, vars: () => ({ first: 10 }) },
  syncRuns: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: op.SYNC_RUNS,
    vars: (f) => ({ sourceId: f.stripe }),
    foreign: (f) => ({ sourceId: f.stripe }),
  },
  sourceEvents: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: op.SOURCE_EVENTS,
    vars: (f) => ({ sourceId: f.web }),
    foreign: (f) => ({ sourceId: f.web }),
  },
  // Issue 11: a source's quarantine and its replays.
  sourceQuarantine: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: SOURCE_QUARANTINE,
    vars: (f) => ({ sourceId: f.web }),
    foreign: (f) => ({ sourceId: f.web }),
  },
  quarantineReplay: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: QUARANTINE_REPLAY,
    vars: (f) => ({ sourceId: f.web, id: randomUUID() }),
    foreign: (f) => ({ sourceId: f.web, id: randomUUID() }),
  },
  replayQuarantine: {
    roles: ['ADMIN'],
    op: REPLAY_QUARANTINE,
    vars: (f) => ({ sourceId: f.web }),
    foreign: (f) => ({ sourceId: f.web }),
  },
  // Issue 11: the ingestion log.
  sourceIngestionCounts: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: op.SOURCE_INGESTION_COUNTS,
    vars: (f) => ({ sourceId: f.web, from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z', granularity: 'MINUTE' }),
    foreign: (f) => ({
      sourceId: f.web,
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-01T01:00:00Z',
      granularity: 'MINUTE',
    }),
  },
  sourceRejections: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: op.SOURCE_REJECTIONS,
    vars: (f) => ({ sourceId: f.web }),
    foreign: (f) => ({ sourceId: f.web }),
  },
  // Mutations: tokens
  createApiToken: { roles: ['ADMIN'], op: op.CREATE_API_TOKEN, vars: () => ({ name: 'm', role: 'INTEGRATOR' }) },
  revokeApiToken: {
    roles: ['ADMIN'],
    op: op.REVOKE_API_TOKEN,
    vars: async (f) => ({ id: await f.newToken() }),
    foreign: (f) => ({ id: f.adminTokenId }),
  },
  // Mutations: sources
  createSource: {
    roles: ['ADMIN'],
    op: op.CREATE_SOURCE,
    vars: () => ({ input: { name: `m-${randomUUID()}`, kind: 'GTM', environment: 'PRODUCTION' } }),
  },
  updateSource: {
    roles: ['ADMIN'],
    op: op.UPDATE_SOURCE,
    vars: async (f) => ({ input: { id: await f.newSource(), description: 'changed' } }),
    foreign: (f) => ({ input: { id: f.web, name: 'stolen' } }),
  },
  pauseSource: {
    roles: ['ADMIN'],
    op: op.PAUSE_SOURCE,
    vars: async (f) => ({ id: await f.newSource() }),
    foreign: (f) => ({ id: f.web }),
  },
  resumeSource: {
    roles: ['ADMIN'],
    op: op.RESUME_SOURCE,
    vars: async (f) => ({ id: await f.newSource() }),
    foreign: (f) => ({ id: f.web }),
  },
  deleteSource: {
    roles: ['ADMIN'],
    op: op.DELETE_SOURCE,
    vars: async (f) => ({ id: await f.newSource() }),
    foreign: (f) => ({ id: f.web }),
  },
  restoreSource: {
    roles: ['ADMIN'],
    op: RESTORE_SOURCE,
    vars: async (f) => ({ id: await f.newDeletedSource() }),
    foreign: (f) => ({ id: f.deleted }),
  },
  setSourceCredentials: {
    roles: ['ADMIN'],
    op: op.SET_CREDENTIALS,
    vars: async (f) => ({ input: { sourceId: await f.newSource('STRIPE'), stripe: { secretKey: 'sk_test_matrix1' } } }),
    foreign: (f) => ({ input: { sourceId: f.stripe, stripe: { secretKey: 'sk_test_stolen1' } } }),
  },
  // Mutations: write keys
  issueWriteKey: {
    roles: ['ADMIN'],
    op: op.ISSUE_WRITE_KEY,
    vars: async (f) => ({ sourceId: await f.newSource() }),
    foreign: (f) => ({ sourceId: f.web }),
  },
  rotateWriteKey: {
    roles: ['ADMIN'],
    op: op.ROTATE_WRITE_KEY,
    vars: async (f) => ({ sourceId: (await f.newWriteKey()).sourceId }),
    foreign: (f) => ({ sourceId: f.web }),
  },
  revokeWriteKey: {
    roles: ['ADMIN'],
    op: op.REVOKE_WRITE_KEY,
    vars: async (f) => ({ id: (await f.newWriteKey()).writeKeyId }),
    foreign: (f) => ({ id: f.writeKeyId }),
  },
  // Mutations: syncs (the stripe fixture has no credentials, so nothing reaches Temporal)
  triggerSourceSync: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: op.TRIGGER_SYNC,
    vars: (f) => ({ sourceId: f.stripe, object: 'customers' }),
    foreign: (f) => ({ sourceId: f.stripe, object: 'customers' }),
  },
  cancelSourceSync: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: op.CANCEL_SYNC,
    vars: (f) => ({ sourceId: f.stripe, object: 'customers' }),
    foreign: (f) => ({ sourceId: f.stripe, object: 'customers' }),
  },
  updateSyncSchedule: {
    roles: ['ADMIN'],
    op: `mutation($sourceId: ID!) { updateSyncSchedule(sourceId: $sourceId, input: { intervalMinutes: 90 }) { intervalMinutes } }`,
    vars: (f) => ({ sourceId: f.stripe }),
    foreign: (f) => ({ sourceId: f.stripe }),
  },
  syncSourceNow: {
    roles: ['ADMIN', 'INTEGRATOR'],
    // An event-stream source: refused as BAD_USER_INPUT past the role check, without touching Temporal.
    op: `mutation($sourceId: ID!) { syncSourceNow(sourceId: $sourceId) { workflowId } }`,
    vars: (f) => ({ sourceId: f.web }),
    foreign: (f) => ({ sourceId: f.stripe }),
  },
  checkSourceConnection: {
    roles: ['ADMIN'],
    op: op.CHECK_CONNECTION,
    // An event-stream source: refused as BAD_USER_INPUT past the role check, without starting a workflow.
    vars: (f) => ({ id: f.web }),
    foreign: (f) => ({ id: f.stripe }),
  },
  registerSourceWebhook: {
    roles: ['ADMIN'],
    op: op.REGISTER_SOURCE_WEBHOOK,
    // An event-stream source: refused as BAD_USER_INPUT past the role check, without starting a workflow.
    vars: (f) => ({ sourceId: f.web }),
    foreign: (f) => ({ sourceId: f.stripe }),
  },
  registerStripeWebhook: {
    roles: ['ADMIN'],
    op: op.REGISTER_STRIPE_WEBHOOK,
    // An event-stream source: refused as BAD_USER_INPUT past the role check, without starting a workflow.
    vars: (f) => ({ sourceId: f.web }),
    foreign: (f) => ({ sourceId: f.stripe }),
  },
};

/** Workspace A's fixtures, created through the api by its admin. */
export async function makeFixtures(url: string, admin: string): Promise<Fixtures> {
  const newSource = async (kind = 'JAVASCRIPT', name = `s-${randomUUID()}`): Promise<string> =>
    (await gql<any>(url, op.CREATE_SOURCE, { input: { name, kind, environment: 'PRODUCTION' } }, admin)).data
      .createSource.id;
  const newWriteKey = async (): Promise<{ sourceId: string; writeKeyId: string }> => {
    const sourceId = await newSource();
    const issued = (await gql<any>(url, op.ISSUE_WRITE_KEY, { sourceId }, admin)).data.issueWriteKey;
    return { sourceId, writeKeyId: issued.writeKey.id };
  };
  const newDeletedSource = async (): Promise<string> => {
    const id = await newSource();
    await gql<any>(url, op.DELETE_SOURCE, { id }, admin);
    return id;
  };
  const web = await newSource('JAVASCRIPT', 'fixture-web');
  const issued = (await gql<any>(url, op.ISSUE_WRITE_KEY, { sourceId: web }, admin)).data.issueWriteKey;
  const adminTokenId = (await gql<any>(url, op.API_TOKENS, {}, admin)).data.apiTokens[0].id;
  return {
    web,
    stripe: await newSource('STRIPE', 'fixture-pay'),
    writeKeyId: issued.writeKey.id,
    adminTokenId,
    deleted: await newDeletedSource(),
    newSource,
    newDeletedSource,
    newWriteKey,
    newToken: async () =>
      (await gql<any>(url, op.CREATE_API_TOKEN, { name: 'throwaway', role: 'INTEGRATOR' }, admin)).data.createApiToken
        .token.id,
  };
}
