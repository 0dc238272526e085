import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql } from '../utils/gql';
import * as op from '../utils/operations';

// Every mutation, fed bad input: a stable code, a message that says what to fix, and nothing changed.
describe('bad input', () => {
  let api: TestApi;
  let token: string;
  let jsId: string;
  let stripeId: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    token = (await api.createWorkspace('Input')).adminToken;
    jsId = (
      await gql<any>(
        api.url,
        op.CREATE_SOURCE,
        { input: { name: 'web', kind: 'JAVASCRIPT', environment: 'PRODUCTION' } },
        token,
      )
    ).data.createSource.id;
    stripeId = (
      await gql<any>(
        api.url,
        op.CREATE_SOURCE,
        { input: { name: 'pay', kind: 'STRIPE', environment: 'PRODUCTION' } },
        token,
      )
    ).data.createSource.id;
  });
  afterAll(() => api.close());

  const js = (extra: Record<string, unknown>) => ({
    input: { name: 'n', kind: 'JAVASCRIPT', environment: 'PRODUCTION', ...extra },
  });
  const cases: [string, string, () => Record<string, unknown>, string, RegExp][] = [
    [
      'createApiToken: empty name',
      op.CREATE_API_TOKEN,
      () => ({ name: '', role: 'ADMIN' }),
      'BAD_USER_INPUT',
      /name must be 1 to 100 characters/,
    ],
    [
      'createApiToken: unknown role',
      op.CREATE_API_TOKEN,
      () => ({ name: 'x', role: 'ROOT' }),
      'BAD_USER_INPUT',
      /ROOT/,
    ],
    [
      'revokeApiToken: not a UUID',
      op.REVOKE_API_TOKEN,
      () => ({ id: 'abc' }),
      'BAD_USER_INPUT',
      /id must be an API token id/,
    ],
    [
      'revokeApiToken: unknown id',
      op.REVOKE_API_TOKEN,
      () => ({ id: randomUUID() }),
      'NOT_FOUND',
      /API token .* was not found/,
    ],
    [
      'createSource: blank name',
      op.CREATE_SOURCE,
      () => js({ name: '   ' }),
      'BAD_USER_INPUT',
      /name must be 1 to 100 characters/,
    ],
    ['createSource: unknown kind', op.CREATE_SOURCE, () => js({ kind: 'FAX' }), 'BAD_USER_INPUT', /FAX/],
    [
      'createSource: missing environment',
      op.CREATE_SOURCE,
      () => ({ input: { name: 'x', kind: 'GTM' } }),
      'BAD_USER_INPUT',
      /environment/,
    ],
    [
      'createSource: zero rate',
      op.CREATE_SOURCE,
      () => js({ rateLimit: { eventsPerSecond: 0 } }),
      'BAD_USER_INPUT',
      /rateLimit.eventsPerSecond must be a whole number from 1/,
    ],
    [
      'createSource: bad origin',
      op.CREATE_SOURCE,
      () => js({ trackingConfig: { allowedOrigins: ['example.com'] } }),
      'BAD_USER_INPUT',
      /is not an origin/,
    ],
    [
      'createSource: tracking on Stripe',
      op.CREATE_SOURCE,
      () => js({ kind: 'STRIPE', trackingConfig: { allowedOrigins: [] } }),
      'BAD_USER_INPUT',
      /cloud-app source/,
    ],
    [
      'createSource: long description',
      op.CREATE_SOURCE,
      () => js({ description: 'x'.repeat(501) }),
      'BAD_USER_INPUT',
      /description/,
    ],
    ['createSource: duplicate name', op.CREATE_SOURCE, () => js({ name: 'web' }), 'CONFLICT', /already exists/],
    [
      'updateSource: kind cannot change',
      op.UPDATE_SOURCE,
      () => ({ input: { id: jsId, kind: 'IOS' } }),
      'BAD_USER_INPUT',
      /kind/,
    ],
    [
      'updateSource: burst below rate',
      op.UPDATE_SOURCE,
      () => ({ input: { id: jsId, rateLimit: { eventsPerSecond: 10, burst: 5 } } }),
      'BAD_USER_INPUT',
      /rateLimit.burst/,
    ],
    [
      'updateSource: identifier in both sets',
      op.UPDATE_SOURCE,
      () => ({ input: { id: jsId, identitySettings: { mergeOn: ['EMAIL'], attachOnly: ['EMAIL'] } } }),
      'BAD_USER_INPUT',
      /both mergeOn and attachOnly/,
    ],
    [
      'updateSource: not a UUID',
      op.UPDATE_SOURCE,
      () => ({ input: { id: '1', name: 'x' } }),
      'BAD_USER_INPUT',
      /id must be a source id/,
    ],
    ['pauseSource: unknown id', op.PAUSE_SOURCE, () => ({ id: randomUUID() }), 'NOT_FOUND', /Source .* was not found/],
    ['resumeSource: not a UUID', op.RESUME_SOURCE, () => ({ id: 'x' }), 'BAD_USER_INPUT', /id must be a source id/],
    ['deleteSource: unknown id', op.DELETE_SOURCE, () => ({ id: randomUUID() }), 'NOT_FOUND', /was not found/],
    [
      'issueWriteKey: cloud-app source',
      op.ISSUE_WRITE_KEY,
      () => ({ sourceId: stripeId }),
      'BAD_USER_INPUT',
      /has no write keys/,
    ],
    [
      'rotateWriteKey: nothing to rotate',
      op.ROTATE_WRITE_KEY,
      () => ({ sourceId: jsId }),
      'CONFLICT',
      /no active write key to rotate/,
    ],
    [
      'rotateWriteKey: negative overlap',
      op.ROTATE_WRITE_KEY,
      () => ({ sourceId: jsId, overlapSeconds: -1 }),
      'BAD_USER_INPUT',
      /overlapSeconds must be a whole number from 0/,
    ],
    ['revokeWriteKey: unknown id', op.REVOKE_WRITE_KEY, () => ({ id: randomUUID() }), 'NOT_FOUND', /Write key/],
    [
      'setSourceCredentials: none given',
      op.SET_CREDENTIALS,
      () => ({ input: { sourceId: stripeId } }),
      'BAD_USER_INPUT',
      /exactly one of stripe, hubspot or shopify/,
    ],
    [
      'setSourceCredentials: wrong app',
      op.SET_CREDENTIALS,
      () => ({ input: { sourceId: stripeId, hubspot: { accessToken: 'pat-na1-123456' } } }),
      'BAD_USER_INPUT',
      /This is a STRIPE source/,
    ],
    [
      'setSourceCredentials: malformed key',
      op.SET_CREDENTIALS,
      () => ({ input: { sourceId: stripeId, stripe: { secretKey: 'pk_live_oops' } } }),
      'BAD_USER_INPUT',
      /stripe.secretKey must be/,
    ],
    [
      'setSourceCredentials: event-stream source',
      op.SET_CREDENTIALS,
      () => ({ input: { sourceId: jsId, stripe: { secretKey: 'sk_test_abcd' } } }),
      'BAD_USER_INPUT',
      /event-stream source/,
    ],
    [
      'triggerSourceSync: event-stream source',
      op.TRIGGER_SYNC,
      () => ({ sourceId: jsId, object: 'customers' }),
      'BAD_USER_INPUT',
      /nothing to sync/,
    ],
    [
      'triggerSourceSync: unknown object',
      op.TRIGGER_SYNC,
      () => ({ sourceId: stripeId, object: 'spaceships' }),
      'BAD_USER_INPUT',
      /object must be one of/,
    ],
    [
      'triggerSourceSync: object the app lacks',
      op.TRIGGER_SYNC,
      () => ({ sourceId: stripeId, object: 'deals' }),
      'BAD_USER_INPUT',
      /STRIPE sources sync customers/,
    ],
    [
      'triggerSourceSync: no credentials yet',
      op.TRIGGER_SYNC,
      () => ({ sourceId: stripeId, object: 'customers' }),
      'BAD_USER_INPUT',
      /set them with setSourceCredentials/,
    ],
    [
      'triggerSourceSync: unknown source',
      op.TRIGGER_SYNC,
      () => ({ sourceId: randomUUID(), object: 'customers' }),
      'NOT_FOUND',
      /was not found/,
    ],
    [
      'cancelSourceSync: object the app lacks',
      op.CANCEL_SYNC,
      () => ({ sourceId: stripeId, object: 'deals' }),
      'BAD_USER_INPUT',
      /STRIPE sources sync customers, subscriptions, invoices, charges, trials; object must be one of them/,
    ],
    [
      'cancelSourceSync: nothing running',
      op.CANCEL_SYNC,
      () => ({ sourceId: stripeId, object: 'customers' }),
      'NOT_FOUND',
      /No customers sync is running/,
    ],
    [
      'cancelSourceSync: not a UUID',
      op.CANCEL_SYNC,
      () => ({ sourceId: 'x', object: 'customers' }),
      'BAD_USER_INPUT',
      /sourceId must be a source id/,
    ],
    [
      'checkSourceConnection: event-stream source',
      op.CHECK_CONNECTION,
      () => ({ id: jsId }),
      'BAD_USER_INPUT',
      /nothing to sync/,
    ],
    [
      'syncRuns: page too large',
      op.SYNC_RUNS,
      () => ({ sourceId: stripeId, first: 500 }),
      'BAD_USER_INPUT',
      /first must be at most 100/,
    ],
  ];

  it.each(cases)('%s', async (_label, query, vars, code, message) => {
    const res = await gql(api.url, query, vars(), token);
    expect(res.errors?.[0].extensions?.code).toBe(code);
    expect(res.errors?.[0].message).toMatch(message);
    expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|QueryFailedError|SELECT|INSERT/);
  });

  it('changed nothing', async () => {
    const res = await gql<any>(api.url, op.SOURCES, {}, token);
    expect(
      res.data.sources.edges.map((e: any) => [e.node.name, e.node.rateLimit.eventsPerSecond, e.node.writeKeys.length]),
    ).toEqual([
      ['web', 1000, 0],
      ['pay', 1000, 0],
    ]);
    expect(res.data.sources.edges[1].node.credentials.isSet).toBe(false);
  });

  it('rejects a malformed cursor and an out-of-range page size', async () => {
    const cursor = await gql(api.url, op.SOURCES, { after: 'garbage' }, token);
    expect(cursor.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('pageInfo.endCursor'),
    });
    const size = await gql(api.url, op.SOURCES, { first: 1000 }, token);
    expect(size.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('first must be at most 100'),
    });
  });
});
