import { bucketsOf } from './upstream-budget';

describe(bucketsOf.name, () => {
  const rate = { perSecond: 9, burst: 5 };
  const search = { name: 'search', rate: { perSecond: 4, burst: 1 }, kinds: ['search' as const] };
  const daily = { name: 'daily', rate: { perSecond: 1, burst: 1000 } };

  it("takes from the account's bucket alone when it has no further limits", () => {
    expect(bucketsOf({ key: 'stripe:acct_1:test', rate })).toEqual([{ account: 'stripe:acct_1:test', rate }]);
    expect(bucketsOf({ key: 'stripe:acct_1:test', rate }, 'search')).toHaveLength(1);
  });

  it('adds the limits on every request to each request, and a kind’s limit to requests of that kind only', () => {
    const account = { key: 'hubspot:62515', rate, limits: [search, daily] };
    expect(bucketsOf(account)).toEqual([
      { account: 'hubspot:62515', rate },
      { account: 'hubspot:62515:daily', rate: daily.rate },
    ]);
    expect(bucketsOf(account, 'search')).toEqual([
      { account: 'hubspot:62515', rate },
      { account: 'hubspot:62515:search', rate: search.rate },
      { account: 'hubspot:62515:daily', rate: daily.rate },
    ]);
  });
});
