import { existsSync, readFileSync } from 'node:fs';
import { writeSecretFile } from './dev-keys';

/** The cheapest authenticated query; `{ sources { totalCount: 0 } }` on a fresh workspace. */
export const SOURCES_QUERY = '{ sources { totalCount } }';

export interface GraphqlAnswer {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
}

export async function postGraphql(apiUrl: string, token: string, query: string): Promise<GraphqlAnswer> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

/** The `extensions.code` of each GraphQL error in an answer. */
export function errorCodes(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) {
    return [];
  }
  return errors.map((error: { extensions?: { code?: unknown } } | null) => {
    const code = error?.extensions?.code;
    return typeof code === 'string' ? code : 'UNKNOWN';
  });
}

/**
 * The token saved in `path` while the api still accepts it; otherwise a new one from `create`, saved
 * (0600) for the next run. A token stops working when the database it lives in was reset or swapped.
 */
export async function ensureAdminToken(
  path: string,
  apiUrl: string,
  create: () => Promise<string>,
  log: (line: string) => void,
): Promise<{ token: string; reused: boolean }> {
  const saved = existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
  if (saved && (await tokenAccepted(apiUrl, saved, log))) {
    return { token: saved, reused: true };
  }
  const token = await create();
  writeSecretFile(path, `${token}\n`);
  return { token, reused: false };
}

async function tokenAccepted(apiUrl: string, token: string, log: (line: string) => void): Promise<boolean> {
  const answer = await postGraphql(apiUrl, token, SOURCES_QUERY);
  const codes = errorCodes(answer.body);
  if (answer.status === 401 || codes.includes('UNAUTHENTICATED')) {
    log('the saved admin token is not accepted (new database?): creating a workspace');
    return false;
  }
  if (codes.length > 0) {
    // Not an auth problem: keep the token rather than pile up workspaces.
    log(`checking the saved admin token answered ${codes.join(', ')}; keeping it`);
  }
  return true;
}

/** The admin token from `create-workspace --json` output (one JSON line on stdout). */
export function parseAdminToken(stdout: string): string {
  for (const line of stdout.split('\n').reverse()) {
    try {
      const parsed = JSON.parse(line) as { adminToken?: unknown };
      if (typeof parsed.adminToken === 'string' && parsed.adminToken) {
        return parsed.adminToken;
      }
    } catch {
      // not the JSON line
    }
  }
  throw new Error(
    `create-workspace printed no {"adminToken": …} line (stdout: ${JSON.stringify(stdout.slice(0, 200))})`,
  );
}
