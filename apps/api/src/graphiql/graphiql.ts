import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GRAPHIQL_CSP, GRAPHIQL_HTML, graphiqlAsset } from './graphiql-assets';

/**
 * Serves GraphiQL on GET /graphql when a browser asks for HTML (as Apollo's landing page would), and its
 * assets under /graphiql/assets. GraphQL requests on the same path are left to Apollo.
 */
export function registerGraphiql(fastify: FastifyInstance, graphqlPath: string): void {
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const [path, query] = req.url.split('?');
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    if (req.method === 'GET' && path === graphqlPath && wantsHtml && !/(^|&)query=/.test(query ?? '')) {
      void reply.header('content-security-policy', GRAPHIQL_CSP).type('text/html; charset=utf-8').send(GRAPHIQL_HTML);
      return;
    }
    done();
  });
  fastify.get('/graphiql/assets/:name', (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    const asset = graphiqlAsset(req.params.name);
    if (!asset) {
      return reply
        .code(404)
        .send({ statusCode: 404, error: 'Not Found', message: `No GraphiQL asset named ${req.params.name}` });
    }
    return reply.header('cache-control', 'public, max-age=3600').type(asset.type).send(asset.body);
  });
}
