// API-key checks as Stripe test mode answers them. The 401 and 403 messages echo part of the key, as
// Stripe's do: our platform must be tested against that, because such text must never be stored.
import { StripeApiError } from './errors';

export interface AuthConfig {
  /** Keys that authenticate but lack `rak_customer_read`: every API call with them gets 403. */
  restrictedKeys: ReadonlySet<string>;
  /** True for a key the emulator was configured with (or made through `POST /_emulator/keys`): only those pass,
   * as only an account's own keys pass at Stripe. */
  isKnown(key: string): boolean;
  /** The account a key belongs to; named in the 403 message, as Stripe names the account. */
  accountOf(key: string): string;
}

/** Test-mode secret and restricted keys, by shape (the statistics count requests by such keys). */
const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

const NO_KEY_MESSAGE =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
  'See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.';

/** True for a key Stripe test mode would take (secret or restricted), whatever its permissions. */
export function isTestKey(key: string | undefined): key is string {
  return key !== undefined && TEST_KEY.test(key);
}

/** Throws Stripe's 401 or 403 unless the `Authorization` header carries a usable test key. */
export function authenticate(header: string | undefined, config: AuthConfig): void {
  const key = apiKey(header);
  if (!key) {
    throw new StripeApiError(401, NO_KEY_MESSAGE);
  }
  if (config.restrictedKeys.has(key)) {
    throw new StripeApiError(
      403,
      `The provided key '${maskKey(key, 6)}' does not have the required permissions for this endpoint on account ` +
        `'${config.accountOf(key)}'. Having the 'rak_customer_read' permission would allow this request to continue.`,
    );
  }
  if (!config.isKnown(key)) {
    throw new StripeApiError(401, `Invalid API Key provided: ${maskKey(key, 4)}`);
  }
}

/** The key from `Bearer <key>`, or from Basic auth where Stripe takes the username as the key. */
export function apiKey(header: string | undefined): string | undefined {
  const match = /^(\w+)\s+(.*)$/.exec(header?.trim() ?? '');
  if (!match) {
    return undefined;
  }
  const [, scheme, credentials] = match;
  if (scheme.toLowerCase() === 'bearer') {
    return credentials.trim() || undefined;
  }
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials.trim(), 'base64').toString('utf8');
    return decoded.split(':')[0] || undefined;
  }
  return undefined;
}

/**
 * Stripe's masking: the type prefix (`sk_live_`, `rk_test_`, `tok_`) stays, every other character but the
 * last `visible` becomes `*` one for one, and the last `visible` stay in clear (4 in the 401, 6 in the 403).
 */
export function maskKey(key: string, visible: number): string {
  const prefix = /^[a-z]+_(?:test_|live_)?/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  const shown = Math.min(visible, rest.length);
  return `${prefix}${'*'.repeat(rest.length - shown)}${rest.slice(rest.length - shown)}`;
}
