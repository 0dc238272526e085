import { AuthFailureLimiter } from './auth-failure-limiter';

describe(AuthFailureLimiter.name, () => {
  let clock: number;
  const make = (perAddress: number, perProcess: number): AuthFailureLimiter =>
    new AuthFailureLimiter({ perAddress, perProcess, windowMs: 60_000 }, () => clock);

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('allows a burst per address, then says how long to wait', () => {
    const sut = make(3, 100);
    expect([1, 2, 3].map(() => sut.recordFailure('a').limited)).toEqual([false, false, false]);
    expect(sut.recordFailure('a')).toEqual({ limited: true, scope: 'address', retryAfterSeconds: 20 });
    expect(sut.recordFailure('b')).toEqual({ limited: false });
  });

  it('refills evenly over the window', () => {
    const sut = make(3, 100);
    [1, 2, 3].forEach(() => sut.recordFailure('a'));
    clock += 19_000;
    expect(sut.recordFailure('a')).toMatchObject({ limited: true, retryAfterSeconds: 1 });
    clock += 1_000;
    expect(sut.recordFailure('a')).toEqual({ limited: false });
  });

  it('caps the whole process across addresses', () => {
    const sut = make(3, 5);
    [1, 2, 3].forEach(() => sut.recordFailure('a'));
    [1, 2].forEach(() => sut.recordFailure('b'));
    expect(sut.recordFailure('c')).toEqual({ limited: true, scope: 'process', retryAfterSeconds: 12 });
  });
});
