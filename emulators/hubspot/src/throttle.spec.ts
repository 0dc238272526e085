import { HubSpotError } from './errors';
import { Throttle } from './throttle';

const DAY = '2026-01-01';

function refusal(action: () => unknown): HubSpotError {
  try {
    action();
  } catch (error) {
    return error as HubSpotError;
  }
  throw new Error('expected a 429');
}

describe('HubSpot throttling', () => {
  it('allows the burst per rolling 10 s, then answers TEN_SECONDLY_ROLLING until the window moves', () => {
    const throttle = new Throttle({ burst: 3, searchPerSecond: 5, daily: 100, retryAfter: false }, 'publicapi:test');
    const headers = [0, 100, 200].map((at) => throttle.admit(false, at, DAY));
    expect(headers.map((sent) => sent['X-HubSpot-RateLimit-Remaining'])).toEqual(['2', '1', '0']);
    expect(headers[0]).toMatchObject({
      'X-HubSpot-RateLimit-Max': '3',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Daily-Remaining': '99',
    });
    const error = refusal(() => throttle.admit(false, 9_999, DAY));
    expect([error.status, error.body()]).toEqual([
      429,
      expect.objectContaining({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        groupName: 'publicapi:test',
      }),
    ]);
    expect(error.headers).toEqual({});
    expect(throttle.admit(false, 10_001, DAY)['X-HubSpot-RateLimit-Remaining']).toBe('0');
  });

  it('limits search per second apart from the burst, without rate-limit headers, and the day, with Retry-After if asked', () => {
    const throttle = new Throttle({ burst: 100, searchPerSecond: 2, daily: 4, retryAfter: true }, 'g');
    expect(throttle.admit(true, 0, DAY)).toEqual({});
    throttle.admit(true, 10, DAY);
    const secondly = refusal(() => throttle.admit(true, 20, DAY));
    expect([secondly.message, secondly.fields.policyName, secondly.headers]).toEqual([
      'You have reached your secondly limit.',
      'SECONDLY',
      { 'Retry-After': '1' },
    ]);
    throttle.admit(false, 30, DAY);
    throttle.admit(true, 1_500, DAY);
    // Searches do not use up the burst: with a burst of 1, a plain call still passes after them.
    const apart = new Throttle({ burst: 1, searchPerSecond: 5, daily: 100, retryAfter: false }, 'g');
    [0, 1, 2].forEach((at) => apart.admit(true, at, DAY));
    expect(apart.admit(false, 3, DAY)['X-HubSpot-RateLimit-Remaining']).toBe('0');
    const daily = refusal(() => throttle.admit(false, 1_600, DAY));
    expect([daily.message, daily.fields.policyName]).toEqual(['You have reached your daily limit.', 'DAILY']);
    expect(throttle.admit(false, 1_700, '2026-01-02')['X-HubSpot-RateLimit-Daily-Remaining']).toBe('3');
  });

  it('does nothing with a burst of 0', () => {
    const throttle = new Throttle({ burst: 0, searchPerSecond: 0, daily: 0, retryAfter: false }, 'g');
    expect(Array.from({ length: 1000 }, (_, i) => throttle.admit(i % 2 === 0, i, DAY))).toEqual(Array(1000).fill({}));
  });
});
