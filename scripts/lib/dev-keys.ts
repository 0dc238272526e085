import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseDevKeyring } from '../../apps/cli/src/dev-keyring';

/** The keyring the api, worker and CLI need (see libs/config env.schema.ts). */
export interface DevKeys {
  ENCRYPTION_KEYS: string;
  ENCRYPTION_ACTIVE_KEY: string;
}

export function generateDevKeys(): DevKeys {
  return { ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`, ENCRYPTION_ACTIVE_KEY: 'v1' };
}

/**
 * Reads the local keyring, creating it on first use. Never regenerated once written: credentials stored
 * in the dev database are sealed with it.
 */
export function loadOrCreateDevKeys(path: string): { keys: DevKeys; created: boolean } {
  if (!existsSync(path)) {
    const keys = generateDevKeys();
    const body = Object.entries(keys).map(([name, value]) => `${name}=${value}\n`);
    writeSecretFile(path, `# Local development keyring, written by npm run dev. Keep it private.\n${body.join('')}`);
    return { keys, created: true };
  }
  chmodSync(path, 0o600);
  return { keys: parseDevKeys(path), created: false };
}

/** The keyring from the environment, when the user set one explicitly. */
export function devKeysFromEnv(env: NodeJS.ProcessEnv): DevKeys | undefined {
  if (!env.ENCRYPTION_KEYS) {
    return undefined;
  }
  return { ENCRYPTION_KEYS: env.ENCRYPTION_KEYS, ENCRYPTION_ACTIVE_KEY: env.ENCRYPTION_ACTIVE_KEY ?? 'v1' };
}

/** Writes a file only its owner can read (0600), also when it already existed with a looser mode. */
export function writeSecretFile(path: string, content: string): void {
  if (existsSync(path)) {
    chmodSync(path, 0o600); // before writing, so the new secret is never readable by others
  }
  writeFileSync(path, content, { mode: 0o600 });
}

// One reader for the file: the CLI's, which falls back to this keyring when ENCRYPTION_* are unset.
function parseDevKeys(path: string): DevKeys {
  return parseDevKeyring(readFileSync(path, 'utf8'), path);
}
