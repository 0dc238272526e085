import { randomBytes } from 'node:crypto';
import { KeyNotFoundError, Keyring } from './keyring';

const k = (): Buffer => randomBytes(32);

describe(Keyring.name, () => {
  const v1 = k();
  const v2 = k();

  it('round-trips under the active key and records which key sealed it', () => {
    const sut = new Keyring(new Map([['v1', v1]]), 'v1');
    const sealed = sut.seal('{"secretKey":"sk_test_abc"}', 'source-1');
    expect(sealed).not.toContain('sk_test_abc');
    expect(Keyring.keyIdOf(sealed)).toBe('v1');
    expect(sut.open(sealed, 'source-1')).toBe('{"secretKey":"sk_test_abc"}');
  });

  it('uses a fresh IV each time', () => {
    const sut = new Keyring(new Map([['v1', v1]]), 'v1');
    expect(sut.seal('same', 'a')).not.toBe(sut.seal('same', 'a'));
  });

  it('refuses a ciphertext moved to another owner or tampered with', () => {
    const sut = new Keyring(new Map([['v1', v1]]), 'v1');
    const sealed = sut.seal('secret', 'source-1');
    expect(() => sut.open(sealed, 'source-2')).toThrow();
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => sut.open(parts.join(':'), 'source-1')).toThrow();
  });

  it('rotates: old values open after a new key becomes active, new values use it', () => {
    const before = new Keyring(new Map([['v1', v1]]), 'v1').seal('secret', 'o');
    const sut = new Keyring(
      new Map([
        ['v1', v1],
        ['v2', v2],
      ]),
      'v2',
    );
    expect(sut.open(before, 'o')).toBe('secret');
    expect(Keyring.keyIdOf(sut.seal('secret', 'o'))).toBe('v2');
  });

  it('says which key is missing', () => {
    const sealed = new Keyring(new Map([['v1', v1]]), 'v1').seal('secret', 'o');
    const sut = new Keyring(new Map([['v2', v2]]), 'v2');
    expect(() => sut.open(sealed, 'o')).toThrow(KeyNotFoundError);
    expect(() => new Keyring(new Map([['v1', v1]]), 'v9')).toThrow(/"v9" is not in ENCRYPTION_KEYS/);
  });
});
