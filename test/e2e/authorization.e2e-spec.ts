import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql, type GqlResponse } from '../utils/gql';
import * as op from '../utils/operations';

type Role = 'ADMIN' | 'INTEGRATOR';
type Vars = Record<string, unknown>;

/** Workspace A's objects (the one under test) and the helpers cases use to make their own. */
interface Fixtures {
  web: string;
  stripe: string;
  writeKeyId: string;
  adminTokenId: string;
  newSource(kind?: string): Promise<string>;
  newWriteKey(): Promise<{ sourceId: string; writeKeyId: string }>;
  newToken(): Promise<string>;
}

/**
 * Every Query and Mutation field: who may call it, an operation that calls it, and (for fields that take
 * an id) the variables naming workspace A's objects that workspace B's admin then tries. The test derives
 * the field list from the api's own schema and fails when a field is missing here. To add a field, add
 * one entry; `vars` may create what the call consumes (a source to delete, a token to revoke).
 */
const MATRIX: Record<
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
  syncRuns: {
    roles: ['ADMIN', 'INTEGRATOR'],
    op: op.SYNC_RUNS,
    vars: (f) => ({ sourceId: f.stripe }),
    foreign: (f) => ({ sourceId: f.stripe }),
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
  checkSourceConnection: {
    roles: ['ADMIN'],
    op: op.CHECK_CONNECTION,
    // An event-stream source: refused as BAD_USER_INPUT past the role check, without starting a workflow.
    vars: (f) => ({ id: f.web }),
    foreign: (f) => ({ id: f.stripe }),
  },
};

const SCHEMA_FIELDS = `{ __schema {
  queryType { fields { name args { name type { ...T } } } }
  mutationType { fields { name args { name type { ...T } } } }
  types { name kind inputFields { name type { ...T } } }
} }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface SchemaField {
  name: string;
  args: { name: string; type: TypeRef }[];
}

const named = (t: TypeRef): string => (t.ofType ? named(t.ofType) : (t.name ?? ''));

describe('authorization', () => {
  let api: TestApi;
  let tokens: Record<Role | 'OTHER', string>;
  let fixtures: Fixtures;
  let fields: SchemaField[];
  let inputIdFields: Map<string, boolean>;

  const call = (field: string, vars: Vars, token: string): Promise<GqlResponse> =>
    gql(api.url, MATRIX[field].op, vars, token);

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    const admin = (await api.createWorkspace('A')).adminToken;
    const otherAdmin = (await api.createWorkspace('B')).adminToken;
    const integrator = (await gql<any>(api.url, op.CREATE_API_TOKEN, { name: 'ci', role: 'INTEGRATOR' }, admin)).data
      .createApiToken.secret;
    tokens = { ADMIN: admin, INTEGRATOR: integrator, OTHER: otherAdmin };
    fixtures = await makeFixtures(api.url, admin);
    const schema = (await gql<any>(api.url, SCHEMA_FIELDS, {}, admin)).data.__schema;
    fields = [...schema.queryType.fields, ...schema.mutationType.fields];
    inputIdFields = idBearingInputs(schema.types);
  });
  afterAll(() => api.close());

  /** Whether a field takes an id: an ID argument, or an input object that holds one (input.id, input.sourceId). */
  const takesId = (f: SchemaField): boolean =>
    f.args.some((a) => named(a.type) === 'ID' || inputIdFields.get(named(a.type)));

  it('has an entry for every Query and Mutation field of the schema, and a foreign-workspace case for each that takes an id', () => {
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(MATRIX).sort());
    expect(
      fields
        .filter(takesId)
        .map((f) => f.name)
        .filter((name) => !MATRIX[name].foreign),
    ).toEqual([]);
    expect(fields.filter(takesId).length).toBeGreaterThanOrEqual(13);
  });

  it.each(Object.keys(MATRIX))('%s: the allowed roles pass the role check, the others get FORBIDDEN', async (field) => {
    const { roles } = MATRIX[field];
    for (const role of ['ADMIN', 'INTEGRATOR'] as const) {
      const res = await call(field, await MATRIX[field].vars(fixtures), tokens[role]);
      const code = res.errors?.[0]?.extensions?.code;
      if (roles.includes(role)) {
        expect([field, role, code]).not.toEqual([field, role, 'FORBIDDEN']);
        expect(code).not.toBe('UNAUTHENTICATED');
      } else {
        expect(res.errors?.[0]).toMatchObject({
          extensions: { code: 'FORBIDDEN' },
          message: `${field} requires one of these token roles: ${roles.join(', ')}; this token is ${role}`,
        });
      }
    }
  });

  it('changes nothing when a role is refused', async () => {
    const before = await snapshot(api.url, tokens.ADMIN);
    for (const field of Object.keys(MATRIX).filter((f) => !MATRIX[f].roles.includes('INTEGRATOR'))) {
      const res = await call(
        field,
        MATRIX[field].foreign?.(fixtures) ?? (await MATRIX[field].vars(fixtures)),
        tokens.INTEGRATOR,
      );
      expect([field, res.errors?.[0]?.extensions?.code]).toEqual([field, 'FORBIDDEN']);
    }
    expect(await snapshot(api.url, tokens.ADMIN)).toEqual(before);
  });

  const foreignCases = Object.keys(MATRIX).filter((f) => MATRIX[f].foreign);
  it.each(foreignCases)('%s with another workspace’s id is NOT_FOUND and shows none of its data', async (field) => {
    const before = await snapshot(api.url, tokens.ADMIN);
    const vars = MATRIX[field].foreign!(fixtures);
    const res = await call(field, vars, tokens.OTHER);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Names the id it could not find (not a different refusal that merely shares the code)…
    const ids = JSON.stringify(vars).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    expect(ids.some((id) => res.errors?.[0]?.message.includes(id))).toBe(true);
    // …and nothing of workspace A leaks: no data, none of its names, nothing changed.
    expect(res.data ?? null).toBeNull();
    expect(JSON.stringify(res)).not.toMatch(/fixture-web|fixture-pay|initial admin token/);
    expect(await snapshot(api.url, tokens.ADMIN)).toEqual(before);
  });

  it('shows another workspace an empty list of sources and only its own tokens', async () => {
    expect((await gql<any>(api.url, op.SOURCES, {}, tokens.OTHER)).data.sources.totalCount).toBe(0);
    const theirs = (await gql<any>(api.url, op.API_TOKENS, {}, tokens.OTHER)).data.apiTokens;
    expect(theirs.map((t: { id: string }) => t.id)).not.toContain(fixtures.adminTokenId);
  });

  it.each([
    ['no token', {}],
    ['an empty header', { authorization: '' }],
    ['an empty bearer token (GraphiQL’s preset)', { authorization: 'Bearer ' }],
    ['a non-bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a malformed token', { authorization: 'Bearer not-a-token' }],
    ['an unknown token', { authorization: `Bearer trb_${randomUUID().replace(/-/g, '')}_${'A'.repeat(43)}` }],
  ])('refuses %s with 401 UNAUTHENTICATED and says what to send', async (_label, headers) => {
    const res = await gql(api.url, op.SOURCES, {}, undefined, headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0].message).toMatch(/Bearer|token/);
    expect(res.data).toBeUndefined();
  });

  it('refuses a revoked token at once', async () => {
    const created = (await gql<any>(api.url, op.CREATE_API_TOKEN, { name: 'temp', role: 'ADMIN' }, tokens.ADMIN)).data
      .createApiToken;
    expect((await gql(api.url, op.API_TOKENS, {}, created.secret)).errors).toBeUndefined();
    await gql(api.url, op.REVOKE_API_TOKEN, { id: created.token.id }, tokens.ADMIN);
    expect((await gql(api.url, op.API_TOKENS, {}, created.secret)).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('keeps the last admin token: revoking it is a CONFLICT', async () => {
    const lone = await api.createWorkspace('Lone');
    const own = (await gql<any>(api.url, op.API_TOKENS, {}, lone.adminToken)).data.apiTokens;
    const res = await gql(api.url, op.REVOKE_API_TOKEN, { id: own[0].id }, lone.adminToken);
    expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('lets an INTEGRATOR read sources and runs, and past the role check to trigger', async () => {
    expect((await gql<any>(api.url, op.SOURCE, { id: fixtures.web }, tokens.INTEGRATOR)).data.source.id).toBe(
      fixtures.web,
    );
    const runs = await gql<any>(api.url, op.SYNC_RUNS, { sourceId: fixtures.stripe }, tokens.INTEGRATOR);
    expect(runs.data.syncRuns.totalCount).toBe(0);
    const trigger = await call(
      'triggerSourceSync',
      { sourceId: fixtures.stripe, object: 'customers' },
      tokens.INTEGRATOR,
    );
    expect(trigger.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT'); // the missing credentials stop it
  });
});

async function makeFixtures(url: string, admin: string): Promise<Fixtures> {
  const newSource = async (kind = 'JAVASCRIPT', name = `s-${randomUUID()}`): Promise<string> =>
    (await gql<any>(url, op.CREATE_SOURCE, { input: { name, kind, environment: 'PRODUCTION' } }, admin)).data
      .createSource.id;
  const newWriteKey = async (): Promise<{ sourceId: string; writeKeyId: string }> => {
    const sourceId = await newSource();
    const issued = (await gql<any>(url, op.ISSUE_WRITE_KEY, { sourceId }, admin)).data.issueWriteKey;
    return { sourceId, writeKeyId: issued.writeKey.id };
  };
  const web = await newSource('JAVASCRIPT', 'fixture-web');
  const issued = (await gql<any>(url, op.ISSUE_WRITE_KEY, { sourceId: web }, admin)).data.issueWriteKey;
  const adminTokenId = (await gql<any>(url, op.API_TOKENS, {}, admin)).data.apiTokens[0].id;
  return {
    web,
    stripe: await newSource('STRIPE', 'fixture-pay'),
    writeKeyId: issued.writeKey.id,
    adminTokenId,
    newSource,
    newWriteKey,
    newToken: async () =>
      (await gql<any>(url, op.CREATE_API_TOKEN, { name: 'throwaway', role: 'INTEGRATOR' }, admin)).data.createApiToken
        .token.id,
  };
}

/** Input object types that hold an ID field (directly), by name. */
function idBearingInputs(
  types: { name: string; kind: string; inputFields: { type: TypeRef }[] | null }[],
): Map<string, boolean> {
  return new Map(
    types
      .filter((t) => t.kind === 'INPUT_OBJECT')
      .map((t) => [t.name, (t.inputFields ?? []).some((f) => named(f.type) === 'ID')]),
  );
}

/** Workspace A's fixtures as its admin sees them (the foreign calls must leave them exactly so). */
async function snapshot(url: string, admin: string): Promise<unknown> {
  const fields = `id name description status deletedAt writeKeys { id status revokedAt } credentials { isSet updatedAt }`;
  const res = await gql<any>(
    url,
    `{ sources(first: 100) { edges { node { ${fields} } } } apiTokens { id revokedAt } }`,
    {},
    admin,
  );
  const fixtureSources = res.data.sources.edges.filter((e: any) => /^fixture-/.test(e.node.name));
  return { sources: fixtureSources, tokens: res.data.apiTokens.filter((t: any) => t.revokedAt === null).length };
}
