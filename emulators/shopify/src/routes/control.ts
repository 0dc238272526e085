// Test-only control routes under /_emulator (no token; the emulator binds to 127.0.0.1). Bodies are JSON; a bad
// body is a 400 `{ error: "<reason>" }`. See ../../README.md for the list.
import type { FastifyInstance } from 'fastify';
import { parseFault } from '../faults';
import { RESOURCES } from '../records';
import { CONTROL_PREFIX, sendJson } from '../http';
import type { ShopState } from '../state';
import { count, only, parseBucketLimits, parseBulkFault, parseBulkTiming, parseWebhookConfig } from './control-params';
import { registerRecordControl } from './control-records';

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
  app.get(at('/clock'), (_request, reply) => sendJson(reply, 200, state.clock.reading()));
  app.post<{ Body: Body | undefined }>(at('/clock'), (request, reply) => {
    const body = only(request.body, ['nowMs', 'advanceMs', 'restore']);
    if (body.restore === true) {
      state.clock.restore();
    }
    if (body.nowMs !== undefined) {
      state.clock.set(count(body.nowMs, 'nowMs'));
    }
    if (body.advanceMs !== undefined) {
      state.clock.advance(count(body.advanceMs, 'advanceMs'));
    }
    state.bulk.tick();
    return sendJson(reply, 200, state.clock.reading());
  });
  app.post(at('/faults'), (request, reply) => {
    state.faults.add(parseFault(request.body));
    return sendJson(reply, 200, { pending: state.faults.pending() });
  });
  app.get(at('/faults'), (_request, reply) => sendJson(reply, 200, { pending: state.faults.pending() }));
  app.delete(at('/faults'), (_request, reply) => {
    state.faults.clear();
    return sendJson(reply, 200, { pending: [] });
  });
  app.post<{ Body: Body | undefined }>(at('/latency'), (request, reply) => {
    state.latencyMs = count(only(request.body, ['ms']).ms, 'ms');
    return sendJson(reply, 200, { ms: state.latencyMs });
  });
  app.post<{ Body: Body | undefined }>(at('/search-lag'), (request, reply) => {
    state.searchLagMs = count(only(request.body, ['ms']).ms, 'ms');
    return sendJson(reply, 200, { ms: state.searchLagMs });
  });
  app.get(at('/limits'), (_request, reply) => sendJson(reply, 200, state.bucket.status()));
  app.post(at('/limits'), (request, reply) => {
    state.bucket.reset(parseBucketLimits(request.body, state.bucket.limits));
    return sendJson(reply, 200, { throttling: state.bucket.limits !== false, ...state.bucket.status() });
  });
  registerBulkControl(app, state);
  registerWebhookControl(app, state);
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
