import { FaultQueue, faultError, parseFault } from './faults';

describe(parseFault.name, () => {
  it('accepts a 400 with our own message, and a malformed body', () => {
    expect(parseFault({ status: 400, message: 'TEXT' })).toEqual({ status: 400, message: 'TEXT', count: 1 });
    expect(parseFault({ malformed: true, count: 2 })).toEqual({ malformed: true, count: 2 });
  });

  it.each([
    [{ delayMs: 10, message: 'no status' }, /only with status/],
    [{ status: 500, message: 7 }, /message must be a string/],
    [{ malformed: true, status: 500 }, /not with status/],
    [{ status: 404 }, /status must be 400, 429 or 500/],
  ])('refuses %j', (body, reason) => {
    expect(() => parseFault(body)).toThrow(reason);
  });
});

describe(faultError.name, () => {
  it('answers with the given message instead of Stripe’s text', () => {
    expect(faultError({ status: 500, message: 'ZEBRA' })).toMatchObject({ status: 500, message: 'ZEBRA' });
    expect(faultError({ status: 429, message: 'ZEBRA' })).toMatchObject({ status: 429, code: 'rate_limit' });
    expect(faultError({ status: 400, message: 'ZEBRA' })).toMatchObject({ status: 400, type: 'invalid_request_error' });
  });
});

describe('parseFault path', () => {
  it('takes an API path only', () => {
    expect(parseFault({ status: 500, path: '/v1/customers' })).toMatchObject({ path: '/v1/customers' });
    expect(() => parseFault({ status: 500, path: '/_emulator/stats' })).toThrow(/path must be an API path/);
  });
});

describe('rate faults', () => {
  const hits = (queue: FaultQueue, requests: number, path = '/v1/customers'): (number | undefined)[] =>
    Array.from({ length: requests }, () => queue.take(path)?.status);

  it('hit about their share of requests, the same requests for the same seed, others for another', () => {
    const queue = new FaultQueue(1);
    queue.add(parseFault({ status: 500, rate: 0.3, count: 100_000, path: '/v1/customers' }));
    const first = hits(queue, 2000);
    const share = first.filter((status) => status === 500).length / first.length;
    expect(share).toBeGreaterThan(0.26);
    expect(share).toBeLessThan(0.34);
    expect(first).toContain(undefined);

    queue.clear();
    queue.add(parseFault({ status: 500, rate: 0.3, count: 100_000, path: '/v1/customers' }));
    expect(hits(queue, 2000)).toEqual(first);
    queue.clear(2);
    queue.add(parseFault({ status: 500, rate: 0.3, count: 100_000, path: '/v1/customers' }));
    expect(hits(queue, 2000)).not.toEqual(first);
  });

  it('share one draw: rates add up in queue order, a 429 and a 500 at 0.15 each fail 30 %, half each', () => {
    const queue = new FaultQueue(7);
    queue.add(parseFault({ status: 429, rate: 0.15, count: 100_000 }));
    queue.add(parseFault({ status: 500, rate: 0.15, count: 100_000 }));
    const statuses = hits(queue, 4000);
    const share = (status: number): number => statuses.filter((s) => s === status).length / statuses.length;
    expect(share(429)).toBeGreaterThan(0.12);
    expect(share(429)).toBeLessThan(0.18);
    expect(share(500)).toBeGreaterThan(0.12);
    expect(share(500)).toBeLessThan(0.18);
  });

  it('count how many requests they hit; requests to other paths neither draw nor consume', () => {
    const queue = new FaultQueue(3);
    queue.add(parseFault({ status: 429, rate: 0.5, count: 4, path: '/v1/customers' }));
    expect(hits(queue, 50, '/v1/account')).toEqual(Array(50).fill(undefined));
    const statuses = hits(queue, 200);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(queue.pending()).toEqual([]);
  });

  it('leave plain faults as they were: a plain fault after a rate fault takes every request the rate misses', () => {
    const queue = new FaultQueue(1);
    queue.add(parseFault({ status: 500, rate: 0.5, count: 1000 }));
    queue.add(parseFault({ delayMs: 1, count: 1000 }));
    const taken = Array.from({ length: 100 }, () => queue.take('/v1/customers'));
    expect(taken.every((fault) => fault !== undefined)).toBe(true);
    expect(taken.some((fault) => fault?.status === 500)).toBe(true);
    expect(taken.some((fault) => fault?.delayMs === 1)).toBe(true);
  });

  it('a 429 hit by rate is Stripe’s plain rate limit: code rate_limit, no Retry-After, no Stripe-Should-Retry', () => {
    const queue = new FaultQueue(1);
    queue.add(parseFault({ status: 429, rate: 1, count: 1 }));
    const error = faultError(queue.take('/v1/customers')!);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit', type: 'invalid_request_error', headers: {} });
  });

  it.each([[{ status: 500, rate: 0 }], [{ status: 500, rate: 1.5 }], [{ status: 500, rate: '0.3' }], [{ rate: 0.3 }]])(
    'refuses %j',
    (body) => {
      expect(() => parseFault(body)).toThrow(/rate must be|give status/);
    },
  );
});
