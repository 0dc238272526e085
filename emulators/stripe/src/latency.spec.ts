// The per-request latency option: every API response waits it first, the control endpoints never do.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './server';
import { EmulatorState } from './state';

const KEY = { authorization: 'Bearer sk_test_tributary' };

describe('emulated latency', () => {
  let app: FastifyInstance;

  beforeEach(() => {
    app = buildApp(new EmulatorState({ customers: 3, latencyMs: 0 }));
  });
  afterEach(() => app.close());

  const timed = async (run: () => Promise<{ statusCode: number }>): Promise<{ status: number; ms: number }> => {
    const start = performance.now();
    const { statusCode } = await run();
    return { status: statusCode, ms: performance.now() - start };
  };
  const list = (): Promise<{ status: number; ms: number }> =>
    timed(() => app.inject({ method: 'GET', url: '/v1/customers?limit=2', headers: KEY }));
  const setLatency = (body: object): Promise<{ statusCode: number; json: () => unknown }> =>
    app.inject({ method: 'POST', url: '/_emulator/latency', payload: body });

  it('delays every API response (errors too) by the set latency, and never the control endpoints', async () => {
    expect((await list()).ms).toBeLessThan(150);
    expect((await setLatency({ ms: 200 })).json()).toEqual({ ms: 200 });
    for (const response of [await list(), await list()]) {
      expect(response).toMatchObject({ status: 200, ms: expect.any(Number) });
      expect(response.ms).toBeGreaterThanOrEqual(195);
    }
    const unauthenticated = await timed(() => app.inject({ method: 'GET', url: '/v1/customers' }));
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.ms).toBeGreaterThanOrEqual(195);
    const control = await timed(() => app.inject({ method: 'GET', url: '/_emulator/latency' }));
    expect(control.ms).toBeLessThan(150);
  });

  it('is switched off with 0 and restored to the start-up value by reset', async () => {
    const slow = buildApp(new EmulatorState({ customers: 3, latencyMs: 180 }));
    try {
      await slow.inject({ method: 'POST', url: '/_emulator/latency', payload: { ms: 0 } });
      const fast = await timed(() => slow.inject({ method: 'GET', url: '/v1/customers', headers: KEY }));
      expect(fast.ms).toBeLessThan(150);
      await slow.inject({ method: 'POST', url: '/_emulator/reset', payload: {} });
      expect((await slow.inject({ method: 'GET', url: '/_emulator/latency' })).json()).toEqual({ ms: 180 });
    } finally {
      await slow.close();
    }
  });

  it.each([[{ ms: -1 }], [{ ms: 1.5 }], [{ ms: '10' }], [{ ms: 60_001 }], [{}], [{ ms: 10, jitter: 5 }]])(
    'refuses %j with a 400 that says why',
    async (body) => {
      const response = await setLatency(body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: expect.stringMatching(/ms must be an integer|unknown field jitter/) });
    },
  );

  it('refuses a bad start-up latency', () => {
    expect(() => new EmulatorState({ latencyMs: -5 })).toThrow(RangeError);
  });
});
