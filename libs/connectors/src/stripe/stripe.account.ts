import Stripe from 'stripe';
import type { ConnectorSettings } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestRate } from '../core/request-budget';
import { stripeClientOptions, withCallerSignal } from './stripe.connector';
import { classifyStripeError } from './stripe.errors';

const ACCOUNT_ID = /acct_[A-Za-z0-9]{1,64}/;

/**
 * Stripe limits requests per account and mode (100/s live, 25/s test: cloud-apis.md §1.6), so the budget
 * key is `stripe:<acct_…>:<live|test>`, from `GET /v1/account`. A restricted key without the account
 * permission gets 403, whose text names the account (`… on account 'acct_…'`): only that id is kept.
 */
export async function stripeAccountKey(
  secretKey: string,
  settings: ConnectorSettings,
  signal?: AbortSignal,
): Promise<string | null> {
  const stripe = new Stripe(secretKey, stripeClientOptions(settings.stripe.apiBaseUrl));
  const id = await withCallerSignal(signal, () => accountId(stripe));
  return id ? `stripe:${id}:${modeOf(secretKey)}` : null;
}

/** The configured rate of the key's mode (STRIPE_LIVE_/STRIPE_TEST_REQUESTS_PER_SECOND). */
export function stripeRequestRate(secretKey: string, settings: ConnectorSettings): RequestRate {
  return settings.stripe.requestRate[modeOf(secretKey)];
}

function modeOf(secretKey: string): 'live' | 'test' {
  return /^(sk|rk)_live_/.test(secretKey) ? 'live' : 'test';
}

async function accountId(stripe: Stripe): Promise<string | null> {
  try {
    const account = await stripe.accounts.retrieveCurrent();
    const id = typeof account?.id === 'string' ? ACCOUNT_ID.exec(account.id)?.[0] : undefined;
    if (id !== account?.id) {
      throw new ProviderError('transient', 'Stripe answered GET /v1/account without an account id', 'stripe');
    }
    return id;
  } catch (error) {
    if (error instanceof Stripe.errors.StripePermissionError) {
      return ACCOUNT_ID.exec(error.message)?.[0] ?? null;
    }
    throw error instanceof Stripe.errors.StripeError ? classifyStripeError(error) : error;
  }
}
