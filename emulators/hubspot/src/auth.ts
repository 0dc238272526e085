// Private-app tokens: `Authorization: Bearer pat-…`, each with its granted scopes. Anything else is HubSpot's 401;
// a known token without the scope a call needs is its 403 naming that scope.
import { invalidAuthentication, missingScopes } from './errors';
import { OBJECT_TYPES, readScope, schemaScope } from './object-types';

/** token → granted scopes. */
export type Tokens = Record<string, string[]>;

export const ALL_SCOPES = OBJECT_TYPES.flatMap((type) => [readScope(type), schemaScope(type)]);
export const DEFAULT_TOKEN = 'pat-na1-00000000-0000-4000-8000-00000000t1b7';
export const DEFAULT_TOKENS: Tokens = { [DEFAULT_TOKEN]: ALL_SCOPES };

/** The bearer token of a request, or undefined. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Throws 401 for an unknown token, 403 when `needed` are not all granted; returns the token. */
export function authorize(tokens: Tokens, header: string | undefined, needed: string[]): string {
  const token = bearer(header);
  const granted = token === undefined ? undefined : tokens[token];
  if (!granted) {
    throw invalidAuthentication();
  }
  const missing = needed.filter((scope) => !granted.includes(scope));
  if (missing.length > 0) {
    throw missingScopes(missing);
  }
  return token!;
}
