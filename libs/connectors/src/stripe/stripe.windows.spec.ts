import { STRIPE_EPOCH, oldestCreated, windowParams } from './stripe.windows';

/** A listing of objects created at `times`; counts the `created[lt]` probes and the rounds they came in. */
function listing(times: number[]) {
  let probes = 0;
  let rounds = 0;
  let inFlight = 0;
  const existsBefore = async (t: number) => {
    probes += 1;
    rounds += inFlight === 0 ? 1 : 0;
    inFlight += 1;
    await new Promise((resolve) => setImmediate(resolve));
    inFlight -= 1;
    return times.some((c) => c < t);
  };
  return { existsBefore, probes: () => probes, rounds: () => rounds };
}

describe('oldestCreated', () => {
  it('finds the oldest object to within 1/64 of the span, in few probes', async () => {
    const oldest = 1_704_067_200; // 2024-01-01
    const newest = oldest + 5000 * 3600;
    const list = listing([oldest, oldest + 3600, newest]);
    const found = await oldestCreated(newest, list.existsBefore);
    expect(found).toBeGreaterThanOrEqual(oldest);
    expect(found - oldest).toBeLessThanOrEqual((newest - oldest) / 64);
    // Four probes at once per round: a round costs one request's latency.
    expect(list.rounds()).toBeLessThanOrEqual(5);
    expect(list.probes()).toBeLessThanOrEqual(4 * list.rounds());
  });

  it('finds a one-day listing far from the epoch precisely', async () => {
    const oldest = 1_780_000_000;
    const newest = oldest + 86_400;
    const found = await oldestCreated(newest, listing([oldest, newest]).existsBefore);
    expect(found).toBeGreaterThanOrEqual(oldest);
    expect(found - oldest).toBeLessThanOrEqual(86_400 / 64 + 1);
  });

  it('answers the newest object itself for a listing of one', async () => {
    expect(await oldestCreated(STRIPE_EPOCH + 10, listing([STRIPE_EPOCH + 10]).existsBefore)).toBe(STRIPE_EPOCH + 10);
  });
});

describe('windowParams', () => {
  it('sends only the bounds a window has', () => {
    expect(windowParams({ gte: null, lt: null })).toEqual({});
    expect(windowParams({ gte: 5, lt: null })).toEqual({ created: { gte: 5 } });
    expect(windowParams({ gte: null, lt: 9 })).toEqual({ created: { lt: 9 } });
    expect(windowParams({ gte: 5, lt: 9 })).toEqual({ created: { gte: 5, lt: 9 } });
  });
});
