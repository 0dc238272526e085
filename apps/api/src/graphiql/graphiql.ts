import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GRAPHIQL_CSP, GRAPHIQL_HTML, graphiqlAsset } from './graphiql-assets';

// Routes GET /graphql to the GraphiQL page when a browser asks for HTML (as Apollo's landing page would);
// GraphQL requests on the same path (JSON, or a GET with ?query=) stay on Apollo's route.
const PAGE = 'page';
type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteStore = ReturnType<ConstraintStrategy['storage']>;
const graphiqlPageStrategy: ConstraintStrategy = {
  name: 'graphiql',
  storage() {
    const handlers = new Map<unknown, ReturnType<RouteStore['get']>>();
    return { get: (k) => handlers.get(k) ?? null, set: (k, v) => void handlers.set(k, v) };
  },
  deriveConstraint(req) {
    const accept = String(req.headers.accept ?? '');
    const getsPage = req.method === 'GET' || req.method === 'HEAD';
    return getsPage && accept.includes('text/html') && !/[?&]query=/.test(req.url ?? '') ? PAGE : undefined;
  },
  mustMatchWhenDerived: false,
  validate(value: unknown) {
    if (value !== PAGE) {
      throw new Error(`the graphiql route constraint only takes "${PAGE}"`);
    }
  },
};

/** GraphiQL as real, public routes: the page on GET /graphql for browsers, its assets under /graphiql/assets. */
export function registerGraphiql(fastify: FastifyInstance, graphqlPath: string): void {
  fastify.addConstraintStrategy(graphiqlPageStrategy);
  fastify.get(graphqlPath, { config: { auth: 'public' }, constraints: { graphiql: PAGE } }, (_req, reply) =>
    reply.header('content-security-policy', GRAPHIQL_CSP).type('text/html; charset=utf-8').send(GRAPHIQL_HTML),
  );
  fastify.get(
    '/graphiql/assets/:name',
    { config: { auth: 'public' } },
    (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
      const asset = graphiqlAsset(req.params.name);
      if (!asset) {
        return reply
          .code(404)
          .send({ statusCode: 404, error: 'Not Found', message: `No GraphiQL asset named ${req.params.name}` });
      }
      return reply.header('cache-control', 'public, max-age=3600').type(asset.type).send(asset.body);
    },
  );
}
