import { hashSecret, newSecret, secretMatches } from '@app/common';
import { formatApiToken, parseApiToken } from './api-token.format';

describe('api token format', () => {
  const id = '3f2b8c1e-9a4d-4c6b-8e2f-1a2b3c4d5e6f';

  it('formats trb_<id>_<secret> and parses it back', () => {
    const secret = newSecret();
    const token = formatApiToken(id, secret);
    expect(token).toMatch(/^trb_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiToken(token)).toEqual({ id, secret });
  });

  it('generates 32-byte secrets that differ', () => {
    const a = newSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(newSecret());
  });

  it.each([
    '',
    'trb_',
    'Bearer trb_x',
    `trb_${'g'.repeat(32)}_${'a'.repeat(43)}`,
    `trb_${'a'.repeat(32)}_${'a'.repeat(42)}`,
    `xyz_${'a'.repeat(32)}_${'a'.repeat(43)}`,
  ])('rejects malformed token %p', (token) => expect(parseApiToken(token)).toBeNull());

  it('stores SHA-256 and compares in constant time', () => {
    const secret = newSecret();
    const stored = hashSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(newSecret(), stored)).toBe(false);
  });
});
