import { stripeRequestRate } from './stripe.account';

const LIVE = { perSecond: 95, burst: 5 };
const TEST = { perSecond: 20, burst: 5 };
const SETTINGS = {
  stripe: { apiBaseUrl: 'http://127.0.0.1:1', requestRate: { live: LIVE, test: TEST } },
  hubspot: { apiBaseUrl: 'http://127.0.0.1:1', requestRate: TEST },
  shopify: { apiBaseUrl: 'http://127.0.0.1:1', costRate: { perSecond: 100, burst: 2000 } },
};

describe(stripeRequestRate.name, () => {
  it('takes the rate of the key’s mode: Stripe limits live and test mode apart', () => {
    expect(stripeRequestRate('sk_live_abcd1234', SETTINGS)).toBe(LIVE);
    expect(stripeRequestRate('rk_live_abcd1234', SETTINGS)).toBe(LIVE);
    expect(stripeRequestRate('sk_test_abcd1234', SETTINGS)).toBe(TEST);
    expect(stripeRequestRate('rk_test_abcd1234', SETTINGS)).toBe(TEST);
  });
});
