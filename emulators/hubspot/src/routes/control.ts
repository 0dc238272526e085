// Test-only control routes under /_emulator (no token; the emulator binds to 127.0.0.1). Bodies are JSON; a bad
// body is a 400 `{ error: "<reason>" }`. See ../../README.md for the list.
import type { FastifyInstance } from 'fastify';
import { isAssociable } from '../associations';
import { parseFault } from '../faults';
import { CONTROL_PREFIX, sendJson } from '../http';
import { isObjectType, OBJECT_TYPES, type ObjectType } from '../object-types';
import { parseLimits } from '../throttle';
import type { HubSpotState } from '../state';
import { createRecords, selectIds, parseValues } from './control-params';
import {
  count,
  only,
  registerClockRoutes,
  registerFaultRoutes,
  registerMillisecondsSetting,
} from '../../../shared/control';

type Body = Record<string, unknown>;
const at = (path: string): string => `${CONTROL_PREFIX}${path}`;

export function registerControlRoutes(app: FastifyInstance, state: HubSpotState): void {
  app.get(CONTROL_PREFIX, (_request, reply) => sendJson(reply, 200, overview(state)));
  app.post<{ Body: Body | undefined }>(at('/reset'), (request, reply) => {
    const body = only(request.body, ['seed', ...OBJECT_TYPES]);
    const counts = Object.fromEntries(
      OBJECT_TYPES.filter((type) => body[type] !== undefined).map((type) => [type, count(body[type], type)]),
    );
    state.reset({ ...counts, seed: body.seed === undefined ? undefined : count(body.seed, 'seed') });
    return sendJson(reply, 200, overview(state));
  });
  registerRecordControl(app, state);
  app.post<{ Body: Body | undefined }>(at('/associations'), (request, reply) => {
    const body = only(request.body, ['from', 'fromId', 'to', 'toId', 'primary', 'remove']);
    const [from, to] = [typeOf(String(body.from)), typeOf(String(body.to))];
    if (!isAssociable(from, to)) {
      throw new RangeError(`no association between ${from} and ${to}`);
    }
    const [fromId, toId] = [count(body.fromId, 'fromId'), count(body.toId, 'toId')];
    if (body.remove === true) {
      state.associations.remove(from, fromId, to, toId);
    } else {
      state.associations.add(from, fromId, to, toId, body.primary === true);
    }
    const primary = body.primary === true;
    state.webhooks.recordAssociation({ from, fromId, to, toId, removed: body.remove === true, primary });
    return sendJson(reply, 200, { [to]: state.associations.read(from, fromId, to) });
  });
  registerClockRoutes(app, CONTROL_PREFIX, state.clock, sendJson);
  registerFaultRoutes(app, CONTROL_PREFIX, state.faults, parseFault, sendJson);
  const latency = { get: () => state.latencyMs, set: (ms: number) => (state.latencyMs = ms) };
  registerMillisecondsSetting(app, at('/latency'), latency, sendJson);
  const searchLag = { get: () => state.searchLagMs, set: (ms: number) => (state.searchLagMs = ms) };
  registerMillisecondsSetting(app, at('/search-lag'), searchLag, sendJson);
  app.get(at('/limits'), (_request, reply) => sendJson(reply, 200, state.throttle.limits));
  app.post(at('/limits'), (request, reply) => {
    state.throttle.limits = parseLimits(request.body, state.throttle.limits);
    state.throttle.clear();
    return sendJson(reply, 200, state.throttle.limits);
  });
  app.post<{ Body: Body | undefined }>(at('/webhooks'), (request, reply) => {
    const body = only(request.body, [
      'targetUrl',
      'clientSecret',
      'appId',
      'batchSize',
      'flushMs',
      'retries',
      'backoffMs',
    ]);
    const target = body.targetUrl;
    if (target !== undefined && target !== null && !(typeof target === 'string' && /^https?:\/\//.test(target))) {
      throw new RangeError('targetUrl must be an http(s) URL, or null to stop sending');
    }
    state.webhooks.config = {
      ...state.webhooks.config,
      ...(body as object),
      targetUrl: (body.targetUrl as string | null) ?? undefined,
    };
    const { clientSecret: _secret, ...shown } = state.webhooks.config;
    return sendJson(reply, 200, shown);
  });
  app.post(at('/webhooks/flush'), async (_request, reply) => {
    await state.webhooks.idle();
    return sendJson(reply, 200, { attempts: state.webhooks.attempts });
  });
  app.get(at('/webhooks/attempts'), (_request, reply) => sendJson(reply, 200, { attempts: state.webhooks.attempts }));
}

/** Bulk writes: create, update (many sharing one modification time if asked) and archive. */
function registerRecordControl(app: FastifyInstance, state: HubSpotState): void {
  app.get<{ Params: { type: string } }>(at('/objects/:type'), (request, reply) => {
    const store = state.stores[typeOf(request.params.type)];
    return sendJson(reply, 200, { live: store.idList(false), archived: store.idList(true) });
  });
  app.post<{ Params: { type: string }; Body: Body | undefined }>(at('/objects/:type/create'), (request, reply) => {
    const type = typeOf(request.params.type);
    const body = only(request.body, ['count', 'createdAt', 'modifiedAt']);
    return sendJson(reply, 200, { ids: createRecords(state, type, body).map((record) => String(record.id)) });
  });
  app.post<{ Params: { type: string }; Body: Body | undefined }>(at('/objects/:type/update'), (request, reply) => {
    const type = typeOf(request.params.type);
    const body = only(request.body, ['ids', 'first', 'all', 'set', 'modifiedAt']);
    const modifiedAt = body.modifiedAt === undefined ? state.clock.nowMs() : count(body.modifiedAt, 'modifiedAt');
    const changed = state.stores[type].update(selectIds(state, type, body), parseValues(type, body.set), modifiedAt);
    return sendJson(reply, 200, { ids: changed.map((record) => String(record.id)) });
  });
  app.post<{ Params: { type: string }; Body: Body | undefined }>(at('/objects/:type/archive'), (request, reply) => {
    const type = typeOf(request.params.type);
    const body = only(request.body, ['ids', 'first', 'all']);
    const archived = state.stores[type].archive(selectIds(state, type, body), state.clock.nowMs());
    return sendJson(reply, 200, { ids: archived.map((record) => String(record.id)) });
  });
}

function overview(state: HubSpotState): object {
  return {
    portalId: state.portalId,
    seed: state.seed,
    counts: state.counts(),
    clock: state.clock.reading(),
    limits: state.throttle.limits,
    searchLagMs: state.searchLagMs,
    latencyMs: state.latencyMs,
    faults: state.faults.pending(),
  };
}

function typeOf(name: string): ObjectType {
  if (!isObjectType(name)) {
    throw new RangeError(`object type must be one of ${OBJECT_TYPES.join(', ')}`);
  }
  return name;
}
