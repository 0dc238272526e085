import { newSecret } from '@app/common';
import { randomBytes } from 'node:crypto';

const KEY_PATTERN = /^(wk_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** A new write key: public prefix (shown always) and secret (shown once, stored as SHA-256). */
export function newWriteKey(): { prefix: string; secret: string; key: string } {
  const prefix = `wk_${randomBytes(6).toString('hex')}`;
  const secret = newSecret();
  return { prefix, secret, key: `${prefix}_${secret}` };
}

export function parseWriteKey(key: string): { prefix: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key.trim());
  return match ? { prefix: match[1], secret: match[2] } : null;
}
