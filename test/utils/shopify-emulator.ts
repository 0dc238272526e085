// Driving the Shopify emulator from tests: the official @shopify/admin-api-client pointed at it (it forces https,
// so a custom fetch turns the scheme back to http, cloud-apis.md §3.7), and the emulator's control routes.
import { type AdminApiClient, createAdminApiClient } from '@shopify/admin-api-client';
import { DEFAULT_TOKEN, type ShopifyEmulator } from '../../emulators/shopify/src';

export const API_VERSION = '2026-01';

export function shopifyClient(
  emulator: ShopifyEmulator,
  options: { accessToken?: string; apiVersion?: string } = {},
): AdminApiClient {
  return createAdminApiClient({
    storeDomain: emulator.url,
    apiVersion: options.apiVersion ?? API_VERSION,
    accessToken: options.accessToken ?? DEFAULT_TOKEN,
    customFetchApi: (url, init) => fetch(String(url).replace(/^https:/, 'http:'), init),
  });
}

export async function shopifyControl<T = Record<string, unknown>>(
  emulator: ShopifyEmulator,
  method: string,
  path: string,
  body?: object,
): Promise<T> {
  const init: RequestInit = body
    ? { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
    : { method };
  const response = await fetch(`${emulator.url}/_emulator${path}`, init);
  const answer = (await response.json()) as T;
  if (response.status !== 200) {
    throw new Error(`control ${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
  }
  return answer;
}

/** A raw POST to the GraphQL endpoint, for what the client hides (status codes, headers, exact bodies). */
export async function rawGraphql(
  emulator: ShopifyEmulator,
  query: string,
  options: { token?: string; version?: string; variables?: object } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/admin/api/${options.version ?? API_VERSION}/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': options.token ?? DEFAULT_TOKEN },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}
