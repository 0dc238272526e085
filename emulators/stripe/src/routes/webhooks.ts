// `/v1/webhook_endpoints`: create, list, retrieve, update and delete the endpoints of the key's account. Events
// then go to them (../webhooks/delivery.ts). Parameters are form-encoded, as in writes.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiKey } from '../auth';
import { invalidRequest, missingParameter, noSuchObject } from '../errors';
import type { Form } from '../form';
import { sendJson } from '../http';
import { paginate, parseListParams } from '../list';
import { parseQuery, rejectUnknown } from '../query';
import type { EmulatorState } from '../state';
import type { EndpointChange } from '../webhooks/endpoints';
import { booleanField, mergedMetadata, nullableString, rejectUnknownFields } from '../write-params';

const PATH = '/v1/webhook_endpoints';
const FIELDS = ['description', 'enabled_events', 'metadata', 'url'];

type ById = { Params: { id: string }; Body: Form | undefined };

export function registerWebhookRoutes(app: FastifyInstance, state: EmulatorState): void {
  const endpoints = state.webhooks.endpoints;
  // Authentication already passed, so the key is there.
  const accountOf = (request: FastifyRequest) => state.accounts.accountOf(apiKey(request.headers.authorization)!);
  app.post<{ Body: Form | undefined }>(PATH, (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, FIELDS);
    const input = {
      url: urlField(form) ?? missing('url'),
      enabled_events: enabledEvents(form) ?? missing('enabled_events'),
      description: nullableString(form, 'description') ?? null,
      metadata: mergedMetadata(form, {}) ?? {},
    };
    return sendJson(reply, 200, endpoints.create(accountOf(request), input, state.nowSeconds()));
  });
  app.get(PATH, (request, reply) => {
    const query = parseQuery(request.url);
    rejectUnknown(query, ['limit', 'starting_after', 'ending_before']);
    const listed = endpoints.list(accountOf(request));
    const params = parseListParams(query);
    const position = (id: string) => listed.findIndex((endpoint) => endpoint.id === id);
    if (params.cursor && position(params.cursor.id) === -1) {
      throw noSuchObject('webhook endpoint', params.cursor.id, params.cursor.param, 400);
    }
    return sendJson(
      reply,
      200,
      paginate(listed, params, position, () => true, PATH),
    );
  });
  app.get<ById>(`${PATH}/:id`, (request, reply) => {
    rejectUnknown(parseQuery(request.url), []);
    return sendJson(reply, 200, endpoints.retrieve(accountOf(request), request.params.id) ?? notFound(request));
  });
  app.post<ById>(`${PATH}/:id`, (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, [...FIELDS, 'disabled']);
    const current = endpoints.retrieve(accountOf(request), request.params.id) ?? notFound(request);
    const disabled = booleanField(form, 'disabled');
    const change: EndpointChange = {
      url: urlField(form),
      enabled_events: enabledEvents(form),
      description: nullableString(form, 'description'),
      metadata: mergedMetadata(form, current.metadata),
      status: disabled === undefined ? undefined : disabled ? 'disabled' : 'enabled',
    };
    return sendJson(reply, 200, endpoints.update(accountOf(request), request.params.id, change));
  });
  app.delete<ById>(`${PATH}/:id`, (request, reply) => {
    rejectUnknown(parseQuery(request.url), []);
    if (!endpoints.remove(accountOf(request), request.params.id)) {
      notFound(request);
    }
    return sendJson(reply, 200, { id: request.params.id, object: 'webhook_endpoint', deleted: true });
  });
}

/** An http(s) URL; Stripe wants https in live mode, but a test receiver listens on plain http. */
function urlField(form: Form): string | undefined {
  const url = nullableString(form, 'url');
  if (url === null || (url !== undefined && !URL.canParse(url)) || (url && !/^https?:$/.test(new URL(url).protocol))) {
    throw invalidRequest(`Invalid URL: ${url ?? ''}`, { code: 'url_invalid', param: 'url' }); // wording is a guess
  }
  return url;
}

/** `enabled_events[]=…` or `enabled_events[0]=…`: event types, or `*` for all of them. */
function enabledEvents(form: Form): string[] | undefined {
  const value = form.enabled_events;
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || value.some((type) => typeof type !== 'string' || type === '')) {
    throw invalidRequest('Invalid array', { code: 'parameter_invalid_array', param: 'enabled_events' }); // wording is a guess
  }
  return value as string[];
}

function missing(name: string): never {
  throw missingParameter(name);
}

function notFound(request: FastifyRequest<ById>): never {
  throw noSuchObject('webhook endpoint', request.params.id, 'id', 404);
}
