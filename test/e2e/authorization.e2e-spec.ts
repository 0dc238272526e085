import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql, type GqlResponse } from '../utils/gql';
import * as op from '../utils/operations';
import { type Fixtures, makeFixtures, MATRIX, type Role, type Vars } from './authorization.matrix';

const SCHEMA_FIELDS = `{ __schema {
  queryType { fields(includeDeprecated: true) { name args { name type { ...T } } } }
  mutationType { fields(includeDeprecated: true) { name args { name type { ...T } } } }
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
