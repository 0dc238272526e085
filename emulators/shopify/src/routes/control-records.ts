// Record control routes: list ids, create N records (all sharing given times if asked), update fields (all sharing
// one modification time if asked) and delete. Each change sends the resource's webhooks.
import type { FastifyInstance } from 'fastify';
import { CONTROL_PREFIX, sendJson } from '../http';
import { type AnyRecord, type Resource, toSecond } from '../records';
import type { ShopState } from '../state';
import { count, only, optionalMs, resourceOf } from './control-params';

type Body = Record<string, unknown>;
type Params = { Params: { resource: string }; Body: Body | undefined };
const at = (path: string): string => `${CONTROL_PREFIX}${path}`;

/** At most this many records per create call (the 50,000-record bench shop is a reset, not a create). */
const MAX_CREATE = 100_000;

/** Fields the update route may set, with a check of each value. */
const SETTABLE: Record<Resource, Record<string, (value: unknown) => boolean>> = {
  customers: {
    email: isString,
    firstName: isString,
    lastName: isString,
    note: isNullableString,
    phone: isNullableString,
    tags: isStringList,
    state: (value) => ['ENABLED', 'DISABLED', 'INVITED', 'DECLINED'].includes(value as string),
  },
  orders: {
    email: isNullableString,
    note: isNullableString,
    tags: isStringList,
    financialStatus: (value) =>
      ['PAID', 'PENDING', 'REFUNDED', 'PARTIALLY_REFUNDED', 'AUTHORIZED', 'VOIDED'].includes(value as string),
    fulfillmentStatus: (value) => ['FULFILLED', 'UNFULFILLED', 'PARTIALLY_FULFILLED'].includes(value as string),
  },
  products: {
    title: isString,
    vendor: isString,
    productType: isString,
    tags: isStringList,
    status: (value) => ['ACTIVE', 'DRAFT', 'ARCHIVED'].includes(value as string),
  },
};

export function registerRecordControl(app: FastifyInstance, state: ShopState): void {
  app.get<Params>(at('/objects/:resource'), (request, reply) =>
    sendJson(reply, 200, { ids: state.store.idList(resourceOf(request.params.resource)).map(String) }),
  );
  app.post<Params>(at('/objects/:resource/create'), (request, reply) => {
    const resource = resourceOf(request.params.resource);
    const body = only(request.body, ['count', 'createdAt', 'updatedAt']);
    const howMany = body.count === undefined ? 1 : count(body.count, 'count');
    if (howMany < 1 || howMany > MAX_CREATE) {
      throw new RangeError(`count must be an integer from 1 to ${MAX_CREATE}`);
    }
    const now = state.clock.nowMs();
    const createdAt = toSecond(optionalMs(body.createdAt, 'createdAt') ?? now);
    const updatedAt = toSecond(optionalMs(body.updatedAt, 'updatedAt') ?? createdAt);
    const made = state.store.create(resource, howMany, { createdAt, updatedAt }, false, now);
    return sendJson(reply, 200, { ids: made.map((record) => String(record.id)) });
  });
  app.post<Params>(at('/objects/:resource/update'), (request, reply) => {
    const resource = resourceOf(request.params.resource);
    const body = only(request.body, ['ids', 'first', 'all', 'set', 'updatedAt']);
    const now = state.clock.nowMs();
    const updatedAt = toSecond(optionalMs(body.updatedAt, 'updatedAt') ?? now);
    const set = parseSet(resource, body.set);
    const changed = state.store.update(resource, selectIds(state, resource, body), set, updatedAt, now);
    return sendJson(reply, 200, { ids: changed.map((record) => String(record.id)) });
  });
  app.post<Params>(at('/objects/:resource/delete'), (request, reply) => {
    const resource = resourceOf(request.params.resource);
    const body = only(request.body, ['ids', 'first', 'all']);
    const gone = state.store.delete(resource, selectIds(state, resource, body));
    return sendJson(reply, 200, { ids: gone.map((record) => String(record.id)) });
  });
}

/** `ids` (numeric strings or numbers), the `first` N ids ascending, or `all: true`. */
function selectIds(state: ShopState, resource: Resource, body: Body): number[] {
  const given = [body.ids !== undefined, body.first !== undefined, body.all === true].filter(Boolean).length;
  if (given !== 1) {
    throw new RangeError('give exactly one of ids (an array), first (a count) or all: true');
  }
  if (body.ids !== undefined) {
    if (!Array.isArray(body.ids) || body.ids.some((id) => !/^\d+$/.test(String(id)))) {
      throw new RangeError('ids must be an array of numeric ids');
    }
    return body.ids.map(Number);
  }
  const ids = state.store.idList(resource);
  return body.all === true ? ids : ids.slice(0, count(body.first, 'first'));
}

function parseSet(resource: Resource, set: unknown): Partial<AnyRecord> {
  if (set === undefined) {
    return {};
  }
  if (set === null || typeof set !== 'object' || Array.isArray(set)) {
    throw new RangeError('set must be an object of field names to values');
  }
  for (const [name, value] of Object.entries(set)) {
    const check = SETTABLE[resource][name];
    if (!check) {
      throw new RangeError(
        `${resource} field '${name}' cannot be set (settable: ${Object.keys(SETTABLE[resource]).join(', ')})`,
      );
    }
    if (!check(value)) {
      throw new RangeError(`bad value for ${resource} field '${name}'`);
    }
  }
  return set;
}

function isString(value: unknown): boolean {
  return typeof value === 'string';
}
function isNullableString(value: unknown): boolean {
  return value === null || typeof value === 'string';
}
function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
