import type { RateRequest } from './rate-gate';
import { TokenLeases, leaseSize } from './token-leases';

const limit = { eventsPerSecond: 1_000, burst: 50_000 };
const request = (size: number, sourceId = 's1'): RateRequest => ({ sourceId, limit, size });

describe('TokenLeases', () => {
  it('leases a tenth of a second of the rate, never more than 1% of the burst, nothing below one token', () => {
    expect(leaseSize({ eventsPerSecond: 1_000, burst: 50_000 })).toBe(100);
    expect(leaseSize({ eventsPerSecond: 1_000, burst: 2_000 })).toBe(20);
    expect(leaseSize({ eventsPerSecond: 2, burst: 150 })).toBe(0);
  });

  it('admits the oldest requests the lease pays for, and sends the first it cannot pay and all after it on', () => {
    const leases = new TokenLeases();
    leases.keep('s1', 10);
    const [a, b, c, d] = [request(4), request(5), request(3), request(1)];
    const { local, remote } = leases.admit([a, b, c, d]);
    expect(local).toEqual([a, b]);
    // d would fit the 1 token left, but it may not overtake c.
    expect(remote).toEqual([c, d]);
    expect(leases.heldFor('s1')).toBe(1);
  });

  it('keeps leases per source and gives back what a failed commit had spent', () => {
    const leases = new TokenLeases();
    leases.keep('s1', 5);
    const { local } = leases.admit([request(5)]);
    expect(leases.heldFor('s1')).toBe(0);
    expect(leases.admit([request(1, 's2')]).local).toEqual([]);
    leases.refund(local);
    expect(leases.heldFor('s1')).toBe(5);
  });

  it('charges a request at most the burst, as the bucket does', () => {
    const leases = new TokenLeases();
    const small = { eventsPerSecond: 10, burst: 3 };
    leases.keep('s1', 3);
    expect(leases.admit([{ sourceId: 's1', limit: small, size: 100 }]).local).toHaveLength(1);
  });
});
