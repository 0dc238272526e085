// The Stripe API surface: `GET /v1/account`, `GET /v1/customers` and `GET /v1/customers/:id`.
// Authentication, faults and the Stripe headers are applied before these handlers run (see server.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountObject } from '../accounts';
import { apiKey } from '../auth';
import type { Customer } from '../customers/customer';
import { noSuchCustomer, unrecognizedUrl } from '../errors';
import { sendJson } from '../http';
import { LIST_PARAMS, paginate, parseListParams } from '../list';
import { parseQuery, rejectUnknown, stringParam } from '../query';
import type { EmulatorState } from '../state';

const CUSTOMER_LIST_PARAMS = [...LIST_PARAMS, 'email', 'test_clock'];

export function registerApiRoutes(app: FastifyInstance, state: EmulatorState): void {
  // The account the request's key belongs to (authentication already passed).
  app.get('/v1/account', (request, reply) => {
    rejectUnknown(parseQuery(request.url), []);
    return sendJson(reply, 200, accountObject(state.accounts.accountOf(apiKey(request.headers.authorization)!)));
  });
  app.get('/v1/customers', (request, reply) => listCustomers(state, request, reply));
  // Real Stripe serves search here; it is not emulated, and must not be read as a customer id.
  app.get('/v1/customers/search', (request) => {
    throw unrecognizedUrl(request.method, '/v1/customers/search');
  });
  app.get<{ Params: { id: string } }>('/v1/customers/:id', (request, reply) => {
    rejectUnknown(parseQuery(request.url), []);
    const customer = state.customers.retrieve(request.params.id);
    if (!customer) {
      throw noSuchCustomer(request.params.id, 'id', 404);
    }
    return sendJson(reply, 200, customer);
  });
}

function listCustomers(state: EmulatorState, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const query = parseQuery(request.url);
  rejectUnknown(query, CUSTOMER_LIST_PARAMS);
  const params = parseListParams(query);
  const email = stringParam(query, 'email');
  const testClock = stringParam(query, 'test_clock');
  const store = state.customers;
  // A cursor must name a live customer: a deleted or unknown one is Stripe's 400 resource_missing.
  if (params.cursor && store.position(params.cursor.id) === undefined) {
    throw noSuchCustomer(params.cursor.id, params.cursor.param, 400);
  }
  const matches = (customer: Customer): boolean =>
    params.created(customer.created) &&
    (email === undefined || customer.email === email) &&
    (testClock === undefined || customer.test_clock === testClock);
  const page = paginate(store.list(), params, (id) => store.position(id) ?? -1, matches, '/v1/customers');
  return sendJson(reply, 200, page);
}
