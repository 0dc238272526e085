// Test-only control endpoints under /_emulator (no Stripe key needed; the emulator binds to 127.0.0.1).
// Bodies are JSON; a bad body is a 400 `{ error: "<reason>" }`. See ../../README.md for the list.
import type { FastifyInstance } from 'fastify';
import { seedActivity } from '../activity';
import { customerFields } from '../customers/customer';
import type { CustomerPatch } from '../customers/store';
import { parseFault } from '../faults';
import { CONTROL_PREFIX, sendJson } from '../http';
import { parseRateLimit } from '../rate-limit';
import { type EmulatorState, parseLatency } from '../state';
import { registerBillingControl } from './billing-control';
import { type Body, optionalCount, optionalInteger, selector, silence } from './control-params';
import { registerWebhookControl } from './webhook-control';
import { registerFaultRoutes } from '../../../shared/control';

const RESET_FIELDS = ['seed', 'customers', 'subscriptions', 'invoices', 'charges'];

export function registerControlRoutes(app: FastifyInstance, state: EmulatorState): void {
  const at = (path: string): string => `${CONTROL_PREFIX}${path}`;
  app.get(CONTROL_PREFIX, (_request, reply) => sendJson(reply, 200, overview(state)));
  app.post<{ Body: Body | undefined }>(at('/reset'), (request, reply) => {
    const body = request.body ?? {};
    const unknown = Object.keys(body).filter((key) => !RESET_FIELDS.includes(key));
    if (unknown.length > 0) {
      throw new RangeError(`unknown field ${unknown.join(', ')}`);
    }
    const [customers, subscriptions, invoices, charges] = RESET_FIELDS.slice(1).map((name) =>
      optionalCount(body, name, 0),
    );
    state.reset({ customers, subscriptions, invoices, charges, seed: optionalInteger(body, 'seed') });
    return sendJson(reply, 200, overview(state));
  });
  app.post<{ Body: Body | undefined }>(at('/customers/seed'), (request, reply) => {
    const body = request.body ?? {};
    const created = state.customers.add(optionalCount(body, 'count', 1) ?? 1, optionalInteger(body, 'created'));
    return sendJson(reply, 200, { data: created });
  });
  app.post<{ Body: Body | undefined }>(at('/customers/update'), (request, reply) => {
    const body = request.body ?? {};
    return sendJson(reply, 200, { data: state.customers.update(selector(body), patch(body.set), silence(body)) });
  });
  app.post<{ Body: Body | undefined }>(at('/customers/delete'), (request, reply) => {
    const body = request.body ?? {};
    return sendJson(reply, 200, { deleted: state.customers.delete(selector(body), silence(body)) });
  });
  app.post<{ Body: Body | undefined }>(at('/activity'), (request, reply) => {
    const body = request.body ?? {};
    return sendJson(reply, 200, seedActivity(state, optionalCount(body, 'count', 1) ?? 12));
  });
  app.get(at('/customers'), (_request, reply) =>
    sendJson(reply, 200, { data: state.customers.list(), deleted: state.customers.deletedIds() }),
  );
  for (const kind of ['subscriptions', 'invoices', 'charges'] as const) {
    app.get(at(`/${kind}`), (_request, reply) => sendJson(reply, 200, { data: state.billing[kind].all() }));
  }
  registerFaultRoutes(app, CONTROL_PREFIX, state.faults, parseFault, sendJson);
  app.post<{ Body: Body | undefined }>(at('/keys'), (request, reply) => {
    return sendJson(reply, 200, state.accounts.createKey((request.body ?? {}).account));
  });
  app.get(at('/latency'), (_request, reply) => sendJson(reply, 200, { ms: state.latencyMs }));
  app.post<{ Body: Body | undefined }>(at('/latency'), (request, reply) => {
    const body = request.body ?? {};
    const unknown = Object.keys(body).filter((key) => key !== 'ms');
    if (unknown.length > 0) {
      throw new RangeError(`unknown field ${unknown.join(', ')}`);
    }
    state.latencyMs = parseLatency(body.ms);
    return sendJson(reply, 200, { ms: state.latencyMs });
  });
  app.get(at('/rate-limit'), (_request, reply) => sendJson(reply, 200, { perSecond: state.rateLimit.perSecond }));
  app.post<{ Body: Body | undefined }>(at('/rate-limit'), (request, reply) => {
    const body = request.body ?? {};
    const unknown = Object.keys(body).filter((key) => key !== 'perSecond');
    if (unknown.length > 0) {
      throw new RangeError(`unknown field ${unknown.join(', ')}`);
    }
    state.rateLimit.perSecond = parseRateLimit(body.perSecond);
    return sendJson(reply, 200, { perSecond: state.rateLimit.perSecond });
  });
  registerClockRoutes(app, state);
  registerBillingControl(app, state);
  registerWebhookControl(app, state);
  app.get(at('/stats'), (_request, reply) => sendJson(reply, 200, state.stats.snapshot()));
  app.delete(at('/stats'), (_request, reply) => {
    state.stats.clear();
    return sendJson(reply, 200, state.stats.snapshot());
  });
}

/** `GET /_emulator/clock`, and `POST` with `{ now?, advance? }` to pin or move it (see ../clock.ts). */
function registerClockRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get(`${CONTROL_PREFIX}/clock`, (_request, reply) => sendJson(reply, 200, state.clock.reading()));
  app.post<{ Body: Body | undefined }>(`${CONTROL_PREFIX}/clock`, (request, reply) => {
    const body = request.body ?? {};
    const unknown = Object.keys(body).filter((key) => key !== 'now' && key !== 'advance');
    if (unknown.length > 0) {
      throw new RangeError(`unknown field ${unknown.join(', ')}`);
    }
    const [now, advance] = [optionalInteger(body, 'now'), optionalInteger(body, 'advance')];
    if ((now !== undefined && now < 0) || (advance !== undefined && advance < 0)) {
      throw new RangeError('now and advance are unix seconds and seconds, not negative');
    }
    // `now` first, so one call can pin the clock and move it on.
    if (now !== undefined) {
      state.clock.set(now);
    }
    state.clock.advance(advance ?? 0);
    state.advanceBilling();
    return sendJson(reply, 200, state.clock.reading());
  });
}

function overview(state: EmulatorState): Body {
  return {
    seed: state.seed,
    account: state.accounts.defaultAccount,
    accounts: state.accounts.accounts(),
    customers: state.customers.list().length,
    deleted: state.customers.deletedIds().length,
    subscriptions: state.billing.subscriptions.list().length,
    invoices: state.billing.invoices.list().length,
    charges: state.billing.charges.list().length,
    events: state.events.list().length,
    clock: state.clock.reading(),
    pendingFaults: state.faults.pending().length,
  };
}

/** `set`: fields to overwrite, limited to the customer's own fields (never id, object or created). */
function patch(value: unknown): CustomerPatch {
  if (value === undefined) {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RangeError('set must be an object of customer fields');
  }
  const writable = customerFields().filter((field) => !['id', 'object', 'created'].includes(field));
  const refused = Object.keys(value).filter((key) => !writable.includes(key));
  if (refused.length > 0) {
    throw new RangeError(`set cannot change ${refused.join(', ')}`);
  }
  return value;
}
