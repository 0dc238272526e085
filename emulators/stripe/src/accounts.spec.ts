import { AccountRegistry, accountObject, defaultAccountId } from './accounts';
import { FaultQueue } from './faults';
import { peakWithin } from './stats';

describe(AccountRegistry.name, () => {
  it('gives every key the default account unless it was made for another, and keeps it', () => {
    const accounts = new AccountRegistry(defaultAccountId(1));
    expect(accounts.accountOf('sk_test_anything')).toBe(defaultAccountId(1));
    const own = accounts.createKey();
    const sibling = accounts.createKey(own.account);
    const named = accounts.createKey('acct_Named123');
    expect(own.key).toMatch(/^sk_test_[A-Za-z0-9]{24}$/);
    expect(own.account).toMatch(/^acct_[A-Za-z0-9]{16}$/);
    expect([accounts.accountOf(own.key), accounts.accountOf(sibling.key)]).toEqual([own.account, own.account]);
    expect(accounts.accountOf(named.key)).toBe('acct_Named123');
    accounts.defaultAccount = defaultAccountId(2);
    expect(accounts.accountOf(own.key)).toBe(own.account);
    expect(accounts.accounts()).toEqual([defaultAccountId(2), own.account, 'acct_Named123']);
    expect(() => accounts.createKey('cus_123')).toThrow(/account must be an account id/);
  });

  it('answers GET /v1/account the same for the same id', () => {
    expect(accountObject('acct_A1')).toEqual(accountObject('acct_A1'));
    expect(accountObject('acct_A1')).toMatchObject({ id: 'acct_A1', object: 'account', type: 'standard' });
  });
});

describe(peakWithin.name, () => {
  it('finds the busiest one-second window, wherever it starts', () => {
    expect(peakWithin([], 1000)).toBe(0);
    expect(peakWithin([0, 999, 1000, 1500, 1999.5, 2600], 1000)).toBe(3);
    expect(peakWithin([5, 5, 5], 1000)).toBe(3);
  });
});

describe('faults scoped to a path', () => {
  it('are consumed only by that path, the others keep their order', () => {
    const faults = new FaultQueue();
    faults.add({ status: 429, count: 1, path: '/v1/customers' });
    faults.add({ delayMs: 5, count: 1 });
    expect(faults.take('/v1/account')).toEqual({ delayMs: 5 });
    expect(faults.take('/v1/account')).toBeUndefined();
    expect(faults.take('/v1/customers')).toEqual({ status: 429, path: '/v1/customers' });
  });
});
