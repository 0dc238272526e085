import { apiKey, authenticate, maskKey } from './auth';
import { StripeApiError } from './errors';

describe('Stripe emulator auth', () => {
  const known = new Set(['sk_test_tributary', 'rk_test_other', 'sk_live_configured']);
  const config = {
    restrictedKeys: new Set(['rk_test_limited']),
    isKnown: (key: string) => known.has(key),
    accountOf: () => 'acct_test',
  };
  const statusOf = (header: string | undefined): number | undefined => {
    try {
      authenticate(header, config);
      return undefined;
    } catch (error) {
      return (error as StripeApiError).status;
    }
  };

  it('passes the configured keys only, 403s a restricted one, 401s the rest', () => {
    expect(statusOf('Bearer sk_test_tributary')).toBeUndefined();
    expect(statusOf('Bearer rk_test_other')).toBeUndefined();
    expect(statusOf('Bearer sk_live_configured')).toBeUndefined();
    expect(statusOf('Bearer sk_test_unknown')).toBe(401);
    expect(statusOf(`Basic ${Buffer.from('sk_test_tributary:').toString('base64')}`)).toBeUndefined();
    expect(statusOf('Bearer rk_test_limited')).toBe(403);
    expect(statusOf('Bearer sk_live_abc')).toBe(401);
    expect(statusOf('Bearer pk_test_abc')).toBe(401);
    expect(statusOf('Bearer ')).toBe(401);
    expect(statusOf('Token sk_test_tributary')).toBe(401);
    expect(statusOf(undefined)).toBe(401);
  });

  it('takes the key from Bearer, or from the Basic username', () => {
    expect(apiKey('bearer  sk_test_a ')).toBe('sk_test_a');
    expect(apiKey(`Basic ${Buffer.from('sk_test_b:ignored').toString('base64')}`)).toBe('sk_test_b');
    expect(apiKey('Basic')).toBeUndefined();
  });

  it('masks like Stripe: type prefix kept, one star per hidden character, the tail in clear', () => {
    expect(maskKey('sk_live_abcdefgh1234', 4)).toBe('sk_live_********1234');
    expect(maskKey('rk_test_0123456789abcdef', 6)).toBe('rk_test_**********abcdef');
    expect(maskKey('tok_abcdef1234', 4)).toBe('tok_******1234');
    expect(maskKey('undefined', 4)).toBe('*****ined');
    expect(maskKey('abc', 4)).toBe('abc');
  });
});
