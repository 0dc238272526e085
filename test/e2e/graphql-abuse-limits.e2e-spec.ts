import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql, type GqlResponse } from '../utils/gql';
import * as op from '../utils/operations';

const aliased = (n: number): string =>
  `{ ${Array.from({ length: n }, (_, i) => `s${i}: sources(first: 100) { totalCount }`).join(' ')} }`;
const unknownToken = (): string => `trb_${randomUUID().replace(/-/g, '')}_${'A'.repeat(43)}`;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('GraphQL abuse limits', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi();
    token = (await api.createWorkspace('Limits')).adminToken;
    for (let i = 0; i < 3; i++) {
      const input = { name: `s${i}`, kind: 'JAVASCRIPT', environment: 'PRODUCTION' };
      await gql(api.url, op.CREATE_SOURCE, { input }, token);
    }
  });
  afterAll(() => api.close());

  describe('query cost and aliases', () => {
    it('refuses 300 and 3,000 aliases of sources(first: 100) at once, before running anything', async () => {
      for (const n of [300, 3000]) {
        const { result, ms } = await timed(() => gql(api.url, aliased(n), {}, token));
        expect(result.status).toBe(400);
        expect(result.data).toBeUndefined();
        expect(result.errors?.map((e) => e.extensions?.code)).toContain('TOO_MANY_ALIASES');
        expect(result.errors?.find((e) => e.extensions?.code === 'TOO_MANY_ALIASES')).toMatchObject({
          message: `Operation uses ${n} aliases; the limit is 30: request each field once, or split the operation`,
          extensions: { aliases: n, maxAliases: 30 },
        });
        // Executing 300 of them took about a second before the limits; refusing them is validation only.
        // (3,000 are bounded by graphql-js parsing and validating the document itself, about a second here.)
        if (n === 300) {
          expect(ms).toBeLessThan(500);
        }
      }
    });

    it('refuses what costs too much even within the alias limit, naming the cost and the limit', async () => {
      const generous = await startTestApi({ GRAPHQL_MAX_ALIASES: '1000' });
      try {
        const res = await gql(generous.url, aliased(300), {}, token);
        expect(res.errors).toEqual([
          expect.objectContaining({
            message:
              'Query cost 30000 exceeds the limit of 5000; request fewer items (first/last) or fewer fields and aliases',
            extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY', cost: 30000, maxCost: 5000 }),
          }),
        ]);
        expect((await gql<any>(generous.url, aliased(40), {}, token)).data.s39.totalCount).toBe(3);
      } finally {
        await generous.close();
      }
    });

    it('serves ordinary operations, a full page of sources with every field included', async () => {
      const res = await gql<any>(api.url, op.SOURCES, { first: 100 }, token);
      expect(res.errors).toBeUndefined();
      expect(res.data.sources.totalCount).toBe(3);
      const tight = await startTestApi({ GRAPHQL_MAX_COST: '100' });
      try {
        const refused = await gql(tight.url, op.SOURCES, { first: 1 }, token);
        expect(refused.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maxCost: 100 });
      } finally {
        await tight.close();
      }
    });
  });

  describe('failed authentications', () => {
    const attempt = (target: TestApi, bearer: string, from?: string): Promise<GqlResponse> =>
      gql(target.url, '{ sources { totalCount } }', {}, bearer, from ? { 'x-forwarded-for': from } : {});

    it('allow a burst per address, then answer 429 with Retry-After; a valid token still works at once', async () => {
      const limited = await startTestApi({ AUTH_FAILURES_PER_ADDRESS: '3', AUTH_FAILURE_WINDOW_SECONDS: '60' });
      try {
        for (let i = 0; i < 3; i++) {
          expect((await attempt(limited, unknownToken())).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        }
        const refused = await attempt(limited, unknownToken());
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toBe('20');
        expect(refused.errors?.[0]).toMatchObject({
          message: 'Too many failed authentications from your address; retry in 20 s with a valid API token',
          extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 20 },
        });
        expect((await attempt(limited, 'not-a-token')).status).toBe(429);
        const valid = await timed(() => attempt(limited, token));
        expect(valid.result.status).toBe(200);
        expect((valid.result.data as any).sources.totalCount).toBe(3);
        expect(valid.ms).toBeLessThan(500);
      } finally {
        await limited.close();
      }
    });

    it('take the client address from X-Forwarded-For only when TRUST_PROXY says so', async () => {
      const env = { AUTH_FAILURES_PER_ADDRESS: '2' };
      const direct = await startTestApi(env);
      const proxied = await startTestApi({ ...env, TRUST_PROXY: 'true' });
      try {
        // Not trusted: the header is ignored, every attempt comes from the TCP peer (127.0.0.1).
        await attempt(direct, unknownToken(), '203.0.113.5');
        await attempt(direct, unknownToken(), '203.0.113.5');
        expect((await attempt(direct, unknownToken(), '203.0.113.6')).status).toBe(429);
        // Trusted: each forwarded address has its own budget.
        await attempt(proxied, unknownToken(), '203.0.113.5');
        await attempt(proxied, unknownToken(), '203.0.113.5');
        expect((await attempt(proxied, unknownToken(), '203.0.113.5')).status).toBe(429);
        expect((await attempt(proxied, unknownToken(), '203.0.113.6')).status).toBe(401);
        expect((await attempt(proxied, token, '203.0.113.5')).status).toBe(200);
      } finally {
        await direct.close();
        await proxied.close();
      }
    });

    it('are capped per process: other addresses are refused once the process budget is spent', async () => {
      const capped = await startTestApi({
        AUTH_FAILURES_PER_ADDRESS: '3',
        AUTH_FAILURES_PER_PROCESS: '4',
        TRUST_PROXY: 'true',
      });
      try {
        for (const from of ['198.51.100.1', '198.51.100.1', '198.51.100.1', '198.51.100.2']) {
          expect((await attempt(capped, unknownToken(), from)).status).toBe(401);
        }
        const refused = await attempt(capped, unknownToken(), '198.51.100.3');
        expect(refused.status).toBe(429);
        expect(refused.errors?.[0].message).toMatch(/^Too many failed authentications on this server; retry in \d+ s/);
        expect((await attempt(capped, token, '198.51.100.3')).status).toBe(200);
        // Sending no token at all is not a failed attempt: it keeps answering what to send.
        expect((await gql(capped.url, '{ sources { totalCount } }', {})).status).toBe(401);
      } finally {
        await capped.close();
      }
    });
  });
});
