import type { EnvFallback } from '@app/config';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run dev` keeps the local keyring (scripts/lib/dev-keys.ts writes it), under the repository root. */
export const DEV_KEYRING_FILE = join('.data', 'dev-keys');

export interface DevKeyring {
  ENCRYPTION_KEYS: string;
  ENCRYPTION_ACTIVE_KEY: string;
}

const NAMES = ['ENCRYPTION_KEYS', 'ENCRYPTION_ACTIVE_KEY'] as const;

/**
 * The keyring `npm run dev` wrote, for a CLI run without ENCRYPTION_* variables: `npm run cli` runs at the
 * repository root, so the README's commands work as written next to a running dev stack. Says so on `say`.
 */
export function devKeyringFallback(root: string, say: (line: string) => void): EnvFallback {
  const path = join(root, DEV_KEYRING_FILE);
  return {
    names: NAMES,
    read: () => {
      if (!existsSync(path)) {
        return undefined;
      }
      const keys = parseDevKeyring(readFileSync(path, 'utf8'), path);
      say(`ENCRYPTION_KEYS and ENCRYPTION_ACTIVE_KEY are unset: using the local dev keyring ${path}`);
      return { ...keys };
    },
  };
}

/** `NAME=value` lines; `#` comments and blank lines are ignored. */
export function parseDevKeyring(text: string, path: string): DevKeyring {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) {
      values.set(match[1], match[2]);
    }
  }
  const keys = values.get('ENCRYPTION_KEYS');
  const active = values.get('ENCRYPTION_ACTIVE_KEY');
  if (!keys || !active) {
    // Refuse rather than regenerate: a new keyring would make stored credentials unreadable.
    throw new Error(`${path} must set ENCRYPTION_KEYS and ENCRYPTION_ACTIVE_KEY; fix it or delete it (with .data/pg)`);
  }
  return { ENCRYPTION_KEYS: keys, ENCRYPTION_ACTIVE_KEY: active };
}

/** What to do when the keyring is missing altogether, for the CLI's error message. */
export const MISSING_KEYRING_HINT =
  'hint: set ENCRYPTION_KEYS and ENCRYPTION_ACTIVE_KEY (see .env.example), or run `npm run dev` once at the ' +
  `repository root: it writes ${DEV_KEYRING_FILE}, which the CLI uses when both are unset`;
