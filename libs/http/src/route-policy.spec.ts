import Fastify, { type FastifyInstance } from 'fastify';
import { listRoutes } from './route-list';
import { installRoutePolicy, RoutePolicyError } from './route-policy';

describe('installRoutePolicy', () => {
  let sut: FastifyInstance;

  beforeEach(() => {
    sut = Fastify();
  });
  afterEach(() => sut.close());

  it('refuses to register a route without a policy, naming it', () => {
    installRoutePolicy(sut, { handlers: {} });
    expect(() => sut.get('/open', () => 'hi')).toThrow(RoutePolicyError);
    expect(() => sut.get('/open', () => 'hi')).toThrow(/GET \/open declares no authentication policy/);
  });

  it('refuses an unknown policy and a policy this app has no handler for', () => {
    installRoutePolicy(sut, { handlers: {} });
    expect(() => sut.get('/a', { config: { auth: 'everyone' as never } }, () => 'hi')).toThrow(RoutePolicyError);
    expect(() => sut.get('/b', { config: { auth: 'writeKey' } }, () => 'hi')).toThrow(
      /needs the writeKey policy, which this app does not serve/,
    );
  });

  it('serves public routes and applies the handler of the others before the route runs', async () => {
    const seen: string[] = [];
    installRoutePolicy(sut, {
      handlers: {
        apiToken: async (req, reply) => {
          seen.push(req.url);
          if (req.headers.authorization !== 'Bearer ok') {
            await reply.code(401).send({ error: 'no' });
          }
        },
      },
    });
    sut.get('/health', { config: { auth: 'public' } }, () => 'up');
    sut.get('/private', { config: { auth: 'apiToken' } }, () => 'secret');
    expect((await sut.inject({ url: '/health' })).body).toBe('up');
    expect((await sut.inject({ url: '/private' })).statusCode).toBe(401);
    const allowed = await sut.inject({ url: '/private', headers: { authorization: 'Bearer ok' } });
    expect(allowed.body).toBe('secret');
    expect(seen).toEqual(['/private', '/private']);
  });

  it('lets unknown routes reach the not-found handler (404, not a policy error)', async () => {
    installRoutePolicy(sut, { handlers: {} });
    sut.get('/health', { config: { auth: 'public' } }, () => 'up');
    const res = await sut.inject({ method: 'POST', url: '/nowhere', payload: { a: 1 } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ message: 'Route POST:/nowhere not found' });
  });

  it('gives routes registered by third-party code the policy named for them, HEAD included', async () => {
    installRoutePolicy(sut, {
      handlers: { apiToken: (_req, reply) => void reply.code(401).send('no') },
      thirdParty: { 'GET /graphql': 'apiToken' },
    });
    const routes = listRoutes(sut);
    sut.get('/graphql', () => 'data');
    await sut.ready();
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', url: '/graphql', auth: 'apiToken' },
        { method: 'HEAD', url: '/graphql', auth: 'apiToken' },
      ]),
    );
    expect((await sut.inject({ method: 'HEAD', url: '/graphql' })).statusCode).toBe(401);
  });

  it('lets unknown URLs answer 404 instead of failing the policy', async () => {
    installRoutePolicy(sut, { handlers: {} });
    sut.get('/health', { config: { auth: 'public' } }, () => 'up');
    expect((await sut.inject({ url: '/nope' })).statusCode).toBe(404);
  });

  it('reaches routes of encapsulated plugins', async () => {
    installRoutePolicy(sut, { handlers: {} });
    await sut.register((child, _opts, done) => {
      expect(() => child.post('/inner', () => 'x')).toThrow(RoutePolicyError);
      done();
    });
    await sut.ready();
  });
});
