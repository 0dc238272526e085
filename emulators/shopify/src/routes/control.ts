// Test-only control routes under /_emulator (no token; the emulator binds to 127.0.0.1). Bodies are JSON; a bad
// body is a 400 `{ error: "<reason>" }`. See ../../README.md for the list.
import type { FastifyInstance } from 'fastify';
import { parseFault } from '../faults';
import { RESOURCES } from '../records';
import { CONTROL_PREFIX, sendJson } from '../http';
import type { ShopState } from '../state';
import { count, only, parseBucketLimits, parseBulkFault, parseBulkTiming, parseWebhookConfig } from './control-params';
import { registerRecordControl } from './control-records';
import { registerClockRoutes, registerFaultRoutes, registerMillisecondsSetting } from '../../../shared/control';

type Body = Record<string, unknown>;
const at = (path: string): string => `${CONTROL_PREFIX}${path}`;

export function registerControlRoutes(app: FastifyInstance, state: ShopState): void {
  app.get(CONTROL_PREFIX, (_request, reply) => sendJson(reply, 200, overview(state)));
  app.post<{ Body: Body | undefined }>(at('/reset'), (request, reply) => {
    const body = only(request.body, ['seed', ...RESOURCES]);
    const counts = Object.fromEntries(
      RESOURCES.filter((name) => body[name] !== undefined).map((name) => [name, count(body[name], name)]),
    );
    state.reset({ ...counts, ...(body.seed === undefined ? {} : { seed: count(body.seed, 'seed') }) });
    return sendJson(reply, 200, overview(state));
  });
  registerRecordControl(app, state);
  // Bulk jobs run on the emulator's clock: a moved clock moves them on.
  registerClockRoutes(app, CONTROL_PREFIX, state.clock, sendJson, () => state.bulk.tick());
  registerFaultRoutes(app, CONTROL_PREFIX, state.faults, parseFault, sendJson);
  registerDelaySettings(app, state);
  app.get(at('/limits'), (_request, reply) => sendJson(reply, 200, state.bucket.status()));
  app.post(at('/limits'), (request, reply) => {
    state.bucket.reset(parseBucketLimits(request.body, state.bucket.limits));
    return sendJson(reply, 200, { throttling: state.bucket.limits !== false, ...state.bucket.status() });
  });
  registerBulkControl(app, state);
  registerWebhookControl(app, state);
}

function registerDelaySettings(app: FastifyInstance, state: ShopState): void {
  const latency = { get: () => state.latencyMs, set: (ms: number) => (state.latencyMs = ms) };
  registerMillisecondsSetting(app, at('/latency'), latency, sendJson);
  const searchLag = { get: () => state.searchLagMs, set: (ms: number) => (state.searchLagMs = ms) };
  registerMillisecondsSetting(app, at('/search-lag'), searchLag, sendJson);
}

function registerBulkControl(app: FastifyInstance, state: ShopState): void {
  app.post(at('/bulk'), (request, reply) => {
    state.bulk.timing = parseBulkTiming(request.body, state.bulk.timing);
    return sendJson(reply, 200, state.bulk.timing);
  });
  app.post(at('/bulk/faults'), (request, reply) => {
    const { fault, count: times } = parseBulkFault(request.body);
    state.bulk.addFault(fault, times);
    return sendJson(reply, 200, { pending: state.bulk.pendingFaults() });
  });
}

function registerWebhookControl(app: FastifyInstance, state: ShopState): void {
  app.post(at('/webhooks'), (request, reply) => {
    state.webhooks.config = parseWebhookConfig(request.body, state.webhooks.config);
    const { secret: _secret, ...shown } = state.webhooks.config;
    return sendJson(reply, 200, shown);
  });
  app.get(at('/webhooks'), (_request, reply) =>
    sendJson(reply, 200, { subscriptions: state.webhooks.subscriptions.map((each) => state.webhooks.view(each)) }),
  );
  app.post(at('/webhooks/flush'), async (_request, reply) => {
    await state.webhooks.idle();
    return sendJson(reply, 200, { attempts: state.webhooks.attempts });
  });
  app.get(at('/webhooks/attempts'), (_request, reply) => sendJson(reply, 200, { attempts: state.webhooks.attempts }));
  app.post<{ Body: Body | undefined }>(at('/webhooks/redeliver'), (request, reply) => {
    const body = only(request.body, ['eventId']);
    if (body.eventId !== undefined && typeof body.eventId !== 'string') {
      throw new RangeError('eventId must be a string (an X-Shopify-Event-Id sent before)');
    }
    const sent = state.webhooks.redeliver(body.eventId);
    if (sent === 0) {
      throw new RangeError('no delivery to send again');
    }
    return sendJson(reply, 200, { sent });
  });
}

function overview(state: ShopState): object {
  return {
    shop: state.shopDomain,
    seed: state.seed,
    counts: state.store.counts(),
    clock: state.clock.reading(),
    limits: state.bucket.status(),
    throttling: state.bucket.limits !== false,
    searchLagMs: state.searchLagMs,
    latencyMs: state.latencyMs,
    versions: state.versions,
    bulk: { ...state.bulk.timing, ...state.bulk.stats },
    faults: state.faults.pending(),
  };
}
