// Associations v4 (cloud-apis.md §2.4): batch read from one type to another, and the per-record GET. Associations
// to archived records are not returned. An input with no associations is an error entry of a 207, as HubSpot
// reports it, not an empty result.
import type { FastifyInstance } from 'fastify';
import { validationError } from '../errors';
import { objectType, sendJson } from '../http';
import { isAssociable, type AssociationType } from '../associations';
import type { ObjectType } from '../object-types';
import type { HubSpotState } from '../state';

/** HubSpot caps a v4 batch read at 1,000 inputs [R]. */
const ASSOCIATION_BATCH_LIMIT = 1000;
const GET_LIMIT = 500;

export function registerAssociationRoutes(app: FastifyInstance, state: HubSpotState): void {
  app.post<{ Params: { from: string; to: string } }>('/crm/v4/associations/:from/:to/batch/read', (request, reply) => {
    const [from, to] = pair(request.params.from, request.params.to);
    const inputs = (request.body as { inputs?: { id?: unknown }[] } | undefined)?.inputs;
    if (!Array.isArray(inputs)) {
      throw validationError('inputs must be an array of {id}');
    }
    if (inputs.length > ASSOCIATION_BATCH_LIMIT) {
      throw validationError(`Batch size ${inputs.length} is over the limit of ${ASSOCIATION_BATCH_LIMIT} inputs.`);
    }
    const startedAt = new Date(state.clock.nowMs()).toISOString();
    const results: { from: { id: string }; to: { toObjectId: number; associationTypes: AssociationType[] }[] }[] = [];
    const errors: object[] = [];
    for (const { id } of inputs) {
      const linked = live(state, from, String(id), to);
      if (linked.length > 0) {
        results.push({ from: { id: String(id) }, to: linked });
      } else {
        errors.push(noAssociations(from, to, String(id)));
      }
    }
    const body = { status: 'COMPLETE', results, startedAt, completedAt: new Date(state.clock.nowMs()).toISOString() };
    return errors.length === 0
      ? sendJson(reply, 200, body)
      : sendJson(reply, 207, { ...body, numErrors: errors.length, errors });
  });
  app.get<{ Params: { from: string; id: string; to: string }; Querystring: { limit?: string; after?: string } }>(
    '/crm/v4/objects/:from/:id/associations/:to',
    (request, reply) => {
      const [from, to] = pair(request.params.from, request.params.to);
      const limit = Number(request.query.limit ?? GET_LIMIT);
      if (!Number.isInteger(limit) || limit < 1 || limit > GET_LIMIT) {
        throw validationError(`limit must be from 1 to ${GET_LIMIT}`);
      }
      const offset = Number(request.query.after ?? 0) || 0;
      const linked = live(state, from, request.params.id, to);
      const page = linked.slice(offset, offset + limit);
      const next =
        offset + page.length < linked.length ? { paging: { next: { after: String(offset + page.length) } } } : {};
      return sendJson(reply, 200, { results: page, ...next });
    },
  );
}

function pair(fromName: string, toName: string): [ObjectType, ObjectType] {
  const [from, to] = [objectType(fromName), objectType(toName)];
  if (!isAssociable(from, to)) {
    throw validationError(`No association between ${from} and ${to}.`);
  }
  return [from, to];
}

/** Associations of a live record to live records. */
function live(state: HubSpotState, from: ObjectType, id: string, to: ObjectType) {
  const record = /^\d+$/.test(id) ? state.stores[from].get(Number(id)) : undefined;
  if (!record || record.archived) {
    return [];
  }
  return state.associations
    .read(from, record.id, to)
    .filter(({ toObjectId }) => !state.stores[to].get(toObjectId)?.archived);
}

function noAssociations(from: ObjectType, to: ObjectType, id: string): object {
  const noun = (type: ObjectType) => (type === 'companies' ? 'company' : type.slice(0, -1));
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
    message: `No ${noun(to)} is associated with ${noun(from)} ${id}.`,
    context: { fromObjectId: [id] },
  };
}
