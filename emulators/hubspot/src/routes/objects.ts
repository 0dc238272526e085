// /crm/v3/objects/<type> (list, get, batch read, search) and /crm/v3/properties/<type> (cloud-apis.md §2.2–2.5).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { objectNotFound, validationError } from '../errors';
import { booleanParam, listParam, objectType, pathOf, sendJson } from '../http';
import { OBJECT_TYPES, type ObjectType } from '../object-types';
import { propertyDefinitions } from '../properties';
import type { ApiObject, CrmRecord, RecordStore } from '../records';
import { search } from '../search';
import { parseSearch } from '../search-request';
import type { HubSpotState } from '../state';

type Query = Record<string, string | string[] | undefined>;
interface TypeParams {
  type: string;
}

export const LIST_LIMIT = 100;
export const BATCH_LIMIT = 100;

export function registerObjectRoutes(app: FastifyInstance, state: HubSpotState): void {
  app.get<{ Params: TypeParams; Querystring: Query }>('/crm/v3/objects/:type', (request, reply) => {
    const type = objectType(request.params.type);
    return sendJson(reply, 200, listPage(state, type, request));
  });
  app.get<{ Params: TypeParams & { id: string }; Querystring: Query }>(
    '/crm/v3/objects/:type/:id',
    (request, reply) => {
      const type = objectType(request.params.type);
      const query = request.query;
      const archived = booleanParam(single(query.archived));
      const record = findRecord(state.stores[type], request.params.id, single(query.idProperty));
      if (!record || record.archived !== archived) {
        throw objectNotFound();
      }
      return sendJson(
        reply,
        200,
        withAssociations(state, type, record, listParam(query.properties), listParam(query.associations)),
      );
    },
  );
  app.post<{ Params: TypeParams; Querystring: Query }>('/crm/v3/objects/:type/batch/read', (request, reply) => {
    const type = objectType(request.params.type);
    const [status, body] = batchRead(state, type, request.body, booleanParam(single(request.query.archived)));
    return sendJson(reply, status, body);
  });
  app.post<{ Params: TypeParams }>('/crm/v3/objects/:type/search', (request, reply) => {
    const type = objectType(request.params.type);
    const visibleBefore = state.clock.nowMs() - state.searchLagMs;
    return sendJson(reply, 200, search(state.stores[type], parseSearch(type, request.body), visibleBefore));
  });
  app.get<{ Params: TypeParams; Querystring: Query }>('/crm/v3/properties/:type', (request, reply) => {
    const type = objectType(request.params.type);
    const archived = booleanParam(single(request.query.archived));
    return sendJson(reply, 200, { results: archived ? [] : propertyDefinitions(type) });
  });
}

/** A list page: ascending ids from `after` (the first id of the page, as HubSpot's opaque cursor). */
function listPage(state: HubSpotState, type: ObjectType, request: FastifyRequest<{ Querystring: Query }>): object {
  const query = request.query;
  const limit = integer(single(query.limit) ?? '10', 'limit');
  if (limit < 1 || limit > LIST_LIMIT) {
    throw validationError(`limit must be from 1 to ${LIST_LIMIT}, got ${limit}`, [
      { message: `limit must be ≤ ${LIST_LIMIT}`, in: 'limit' },
    ]);
  }
  const after = single(query.after);
  const from = after === undefined ? 0 : integer(after, 'after') - 1;
  const properties = listParam(query.properties);
  const associations = listParam(query.associations);
  const results: ApiObject[] = [];
  let next: CrmRecord | undefined;
  for (const record of state.stores[type].ascending(booleanParam(single(query.archived)), from)) {
    if (results.length === limit) {
      next = record;
      break;
    }
    results.push(withAssociations(state, type, record, properties, associations));
  }
  if (!next) {
    return { results };
  }
  const link = new URL(`http://${request.headers.host ?? '127.0.0.1'}${pathOf(request.url)}`);
  for (const [name, value] of Object.entries(query)) {
    [value ?? []].flat().forEach((item) => name !== 'after' && link.searchParams.append(name, item));
  }
  link.searchParams.set('after', String(next.id));
  return { results, paging: { next: { after: String(next.id), link: link.toString() } } };
}

function batchRead(state: HubSpotState, type: ObjectType, body: unknown, archived: boolean): [number, object] {
  const input = (body ?? {}) as { inputs?: { id?: unknown }[]; properties?: unknown; idProperty?: unknown };
  if (!Array.isArray(input.inputs)) {
    throw validationError('inputs must be an array of {id}');
  }
  if (input.inputs.length > BATCH_LIMIT) {
    throw validationError(`Batch size ${input.inputs.length} is over the limit of ${BATCH_LIMIT} inputs.`);
  }
  const startedAt = new Date(state.clock.nowMs()).toISOString();
  const properties = Array.isArray(input.properties) ? input.properties.map(String) : undefined;
  const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined;
  const results: ApiObject[] = [];
  const missing: string[] = [];
  for (const { id } of input.inputs) {
    const record = findRecord(state.stores[type], String(id), idProperty);
    if (record && record.archived === archived) {
      results.push(state.stores[type].render(record, properties));
    } else {
      missing.push(String(id));
    }
  }
  const done = { status: 'COMPLETE', results, startedAt, completedAt: new Date(state.clock.nowMs()).toISOString() };
  if (missing.length === 0) {
    return [200, done];
  }
  const noun = type === 'companies' ? 'COMPANY' : type.slice(0, -1).toUpperCase();
  const error = {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${noun} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids: missing },
  };
  return [207, { ...done, numErrors: 1, errors: [error] }];
}

/** The record of `id` (an hs_object_id, or the value of a unique `idProperty` such as email). */
function findRecord(store: RecordStore, id: string, idProperty: string | undefined): CrmRecord | undefined {
  if (idProperty && idProperty !== 'hs_object_id') {
    for (const archived of [false, true]) {
      for (const record of store.ascending(archived)) {
        if (store.value(record, idProperty)?.toLowerCase() === id.toLowerCase()) {
          return record;
        }
      }
    }
    return undefined;
  }
  return /^\d+$/.test(id) ? store.get(Number(id)) : undefined;
}

/** The rendered record, with `associations=` inlined as v3 does (only associated types are present). */
function withAssociations(
  state: HubSpotState,
  type: ObjectType,
  record: CrmRecord,
  properties?: string[],
  associations?: string[],
): ApiObject {
  const object = state.stores[type].render(record, properties);
  const inlined: NonNullable<ApiObject['associations']> = {};
  for (const to of associations ?? []) {
    if (!(OBJECT_TYPES as readonly string[]).includes(to) || to === type) {
      continue;
    }
    const linked = state.associations
      .inline(type, record.id, to as ObjectType)
      .filter(({ id }) => !state.stores[to as ObjectType].get(Number(id))?.archived);
    if (linked.length > 0) {
      inlined[to] = { results: linked };
    }
  }
  return Object.keys(inlined).length > 0 ? { ...object, associations: inlined } : object;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function integer(value: string, name: string): number {
  if (!/^\d+$/.test(value)) {
    throw validationError(`${name} must be an integer, got '${value}'`);
  }
  return Number(value);
}
