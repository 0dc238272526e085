// Accounts and the keys that belong to them. Stripe's rate limits are per account (cloud-apis.md §1.6),
// so tests need keys of one account and keys of another: every usable test key belongs to the default
// account (derived from the seed), and keys made through `POST /_emulator/keys` belong to the account
// they name (or to a new one). A key's account never changes while the emulator runs. Every account sees
// the same customers (one data set); only identity and request counts are per account.
import { randomBytes } from 'node:crypto';
import { base62, stableId, stablePick } from './ids';

const ACCOUNT_ID = /^acct_[A-Za-z0-9]{1,32}$/;
const COUNTRIES = [
  ['US', 'usd'],
  ['GB', 'gbp'],
  ['FR', 'eur'],
  ['DE', 'eur'],
  ['CA', 'cad'],
] as const;

export class AccountRegistry {
  private readonly keyAccounts = new Map<string, string>();
  private readonly created = new Set<string>();

  constructor(public defaultAccount: string) {}

  /** The account a key belongs to: the one it was made for, else the default account. */
  accountOf(key: string): string {
    return this.keyAccounts.get(key) ?? this.defaultAccount;
  }

  /** True for a key made through `createKey`. */
  knows(key: string): boolean {
    return this.keyAccounts.has(key);
  }

  /** A new `sk_test_` key of `account` (an existing or new `acct_` id), or of a brand-new account. */
  createKey(account?: unknown): { key: string; account: string } {
    if (account !== undefined && (typeof account !== 'string' || !ACCOUNT_ID.test(account))) {
      throw new RangeError('account must be an account id (acct_ followed by up to 32 letters and digits)');
    }
    const id = account ?? `acct_${base62(randomBytes(16), 16)}`;
    const key = `sk_test_${base62(randomBytes(24), 24)}`;
    this.keyAccounts.set(key, id);
    this.created.add(id);
    return { key, account: id };
  }

  /** Every account known: the default one and those keys were made for. */
  accounts(): string[] {
    return [this.defaultAccount, ...[...this.created].filter((id) => id !== this.defaultAccount)];
  }
}

/** `acct_` + 16 base62 characters, stable for the seed. */
export function defaultAccountId(seed: number): string {
  return stableId('acct_', 16, seed, 'account');
}

/**
 * `GET /v1/account` for a test-mode standard account, in Stripe's field order; values derive from the id
 * so the same account always answers the same.
 */
export function accountObject(id: string): Record<string, unknown> {
  const [country, currency] = stablePick(COUNTRIES, 0, id, 'country');
  const name = `Test business ${id.slice(-6)}`;
  return {
    id,
    object: 'account',
    business_profile: {
      annual_revenue: null,
      estimated_worker_count: null,
      mcc: null,
      minority_owned_business_designation: null,
      name,
      product_description: null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: null,
    },
    business_type: null,
    capabilities: {},
    charges_enabled: false,
    controller: { type: 'account' },
    country,
    created: 1_704_067_200,
    default_currency: currency,
    details_submitted: false,
    email: `owner+${id.slice(5, 11).toLowerCase()}@example.test`,
    external_accounts: {
      object: 'list',
      data: [],
      has_more: false,
      total_count: 0,
      url: `/v1/accounts/${id}/external_accounts`,
    },
    metadata: {},
    payouts_enabled: false,
    settings: {
      dashboard: { display_name: name, timezone: 'Etc/UTC' },
      payments: { statement_descriptor: null },
    },
    tos_acceptance: { date: null, ip: null, user_agent: null },
    type: 'standard',
  };
}
