// Admin API access tokens (`X-Shopify-Access-Token: shpat_…`), each with its granted scopes. An unknown or missing
// token is Shopify's 401; a known token without a scope meets ACCESS_DENIED on the fields that need it.
import { invalidToken } from './errors';

/** token → granted scopes. */
export type Tokens = Record<string, string[]>;

export const ALL_SCOPES = ['read_customers', 'read_orders', 'read_all_orders', 'read_products'];
export const DEFAULT_TOKEN = 'shpat_00000000000000000000000000t1b7';
export const DEFAULT_TOKENS: Tokens = { [DEFAULT_TOKEN]: ALL_SCOPES };

/** The scopes of the request's token; throws the 401 for anything else. */
export function authorize(tokens: Tokens, header: string | string[] | undefined): string[] {
  const token = Array.isArray(header) ? header[0] : header;
  const granted = token === undefined ? undefined : tokens[token];
  if (!granted) {
    throw invalidToken();
  }
  return granted;
}
