import { hashSecret, secretMatches } from '@app/common';
import { newWriteKey, parseWriteKey } from './write-key.format';

describe('write key format', () => {
  it('builds <prefix>_<secret> with a public prefix and parses it back', () => {
    const { prefix, secret, key } = newWriteKey();
    expect(prefix).toMatch(/^wk_[0-9a-f]{12}$/);
    expect(parseWriteKey(key)).toEqual({ prefix, secret });
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
    expect(secretMatches(newWriteKey().secret, hashSecret(secret))).toBe(false);
  });

  it.each(['', 'wk_123', 'trb_x', `wk_${'z'.repeat(12)}_${'a'.repeat(43)}`])('rejects %p', (key) =>
    expect(parseWriteKey(key)).toBeNull(),
  );
});
