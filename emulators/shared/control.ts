// Control routes and body checks every emulator shares (test-only, under its /_emulator prefix): a bad body is a
// RangeError, which each emulator answers as 400 `{ error: "<reason>" }`. Each passes its own `send` (the JSON
// each one writes differs a little, as the real APIs' do).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EmulatorClock } from './clock';

type Body = Record<string, unknown>;
export type SendJson = (reply: FastifyReply, status: number, body: unknown) => FastifyReply;

/** The body as an object with only the allowed fields; anything else is refused by name. */
export function only(body: unknown, allowed: string[]): Body {
  const input = (body ?? {}) as Body;
  const unknown = Object.keys(input).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new RangeError(`unknown field ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
  }
  return input;
}

export function count(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new RangeError(`${name} must be a non-negative integer`);
  }
  return value as number;
}

/** `POST|GET|DELETE <prefix>/faults`: queue a fault (checked by the emulator's `parse`), list them, clear them. */
export function registerFaultRoutes<Spec>(
  app: FastifyInstance,
  prefix: string,
  faults: { add(spec: Spec): void; pending(): Spec[]; clear(): void },
  parse: (body: unknown) => Spec,
  send: SendJson,
): void {
  app.post(`${prefix}/faults`, (request, reply) => {
    faults.add(parse(request.body));
    return send(reply, 200, { pending: faults.pending() });
  });
  app.get(`${prefix}/faults`, (_request, reply) => send(reply, 200, { pending: faults.pending() }));
  app.delete(`${prefix}/faults`, (_request, reply) => {
    faults.clear();
    return send(reply, 200, { pending: [] });
  });
}

/**
 * `GET <prefix>/clock`, and `POST` with `{ nowMs?, advanceMs?, restore? }` to follow the real clock again,
 * pin it or move it on (in that order); `moved` runs after each POST (what waits on the clock catches up).
 */
export function registerClockRoutes(
  app: FastifyInstance,
  prefix: string,
  clock: EmulatorClock,
  send: SendJson,
  moved: () => void = () => undefined,
): void {
  app.get(`${prefix}/clock`, (_request, reply) => send(reply, 200, clock.reading()));
  app.post(`${prefix}/clock`, (request, reply) => {
    const body = only(request.body, ['nowMs', 'advanceMs', 'restore']);
    if (body.restore === true) {
      clock.restore();
    }
    if (body.nowMs !== undefined) {
      clock.set(count(body.nowMs, 'nowMs'));
    }
    if (body.advanceMs !== undefined) {
      clock.advance(count(body.advanceMs, 'advanceMs'));
    }
    moved();
    return send(reply, 200, clock.reading());
  });
}

/** `POST <prefix><path>` with `{ ms }`: a delay setting such as the latency every API answer waits. */
export function registerMillisecondsSetting(
  app: FastifyInstance,
  path: string,
  setting: { get(): number; set(ms: number): void },
  send: SendJson,
): void {
  app.post(path, (request, reply) => {
    setting.set(count(only(request.body, ['ms']).ms, 'ms'));
    return send(reply, 200, { ms: setting.get() });
  });
}
