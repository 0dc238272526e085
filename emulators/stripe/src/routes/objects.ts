// `GET /v1/<objects>` and `GET /v1/<objects>/:id` for any listed object: Stripe's list protocol (list.ts), the
// object's own filters, and `No such <noun>` for unknown ids in the URL (404) or as a cursor (400).
import type { FastifyInstance } from 'fastify';
import { noSuchObject } from '../errors';
import { sendJson } from '../http';
import { LIST_PARAMS, type ListEnvelope, type Listed, paginate, parseListParams } from '../list';
import { parseQuery, type QueryParams, rejectUnknown } from '../query';

/** Where the rows come from; looked up per request, since reset() replaces generated objects. */
export interface ListSource<Row extends Listed> {
  list(): readonly Row[];
  /** Position of a listable object in list(), or undefined when unknown (or deleted). */
  position(id: string): number | undefined;
  render(row: Row): unknown;
  retrieve(id: string): unknown;
}

export interface ObjectRoutes<Row extends Listed> {
  /** `/v1/subscriptions` */
  path: string;
  /** `subscription`, as Stripe names it in `No such subscription: '…'`. */
  noun: string;
  source(): ListSource<Row>;
  /** The list parameters besides the common ones (list.ts). */
  filters: readonly string[];
  /** Reads (and validates) the filters of one request. */
  matcher(query: QueryParams): (row: Row) => boolean;
}

export function registerObjectRoutes<Row extends Listed>(app: FastifyInstance, routes: ObjectRoutes<Row>): void {
  app.get(routes.path, (request, reply) => sendJson(reply, 200, listPage(routes, parseQuery(request.url))));
  app.get<{ Params: { id: string } }>(`${routes.path}/:id`, (request, reply) => {
    rejectUnknown(parseQuery(request.url), []);
    const found = routes.source().retrieve(request.params.id);
    if (found === undefined) {
      throw noSuchObject(routes.noun, request.params.id, 'id', 404);
    }
    return sendJson(reply, 200, found);
  });
}

function listPage<Row extends Listed>(routes: ObjectRoutes<Row>, query: QueryParams): ListEnvelope<unknown> {
  rejectUnknown(query, [...LIST_PARAMS, ...routes.filters]);
  const params = parseListParams(query);
  const matches = routes.matcher(query);
  const source = routes.source();
  // A cursor must name a listable object: an unknown (or deleted) one is Stripe's 400 resource_missing.
  if (params.cursor && source.position(params.cursor.id) === undefined) {
    throw noSuchObject(routes.noun, params.cursor.id, params.cursor.param, 400);
  }
  const page = paginate(
    source.list(),
    params,
    (id) => source.position(id) ?? -1,
    (row) => params.created(row.created) && matches(row),
    routes.path,
  );
  return { ...page, data: page.data.map((row) => source.render(row)) };
}
