import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value: `<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts), so the key used is always known. */
export type Sealed = string;

export class KeyNotFoundError extends Error {
  constructor(readonly keyId: string) {
    super(
      `Encryption key "${keyId}" is not in ENCRYPTION_KEYS; add it back (keys can only be removed after reencrypt-credentials)`,
    );
    this.name = 'KeyNotFoundError';
  }
}

/**
 * AES-256-GCM with versioned keys. New values are sealed under the active key; any key in the ring opens.
 * The associated data binds a ciphertext to its owner (e.g. a source id), so rows cannot be swapped.
 */
export class Keyring {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    if (!keys.has(activeKeyId)) {
      throw new KeyNotFoundError(activeKeyId);
    }
  }

  seal(plaintext: string, associatedData: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key(this.activeKeyId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [this.activeKeyId, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  open(sealed: Sealed, associatedData: string): string {
    const [keyId, iv, tag, body] = sealed.split(':');
    if (!keyId || iv === undefined || tag === undefined || body === undefined) {
      throw new Error('Sealed value is malformed');
    }
    const decipher = createDecipheriv(ALGORITHM, this.key(keyId), Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Key id a sealed value was written with. */
  static keyIdOf(sealed: Sealed): string {
    return sealed.slice(0, sealed.indexOf(':'));
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) {
      throw new KeyNotFoundError(id);
    }
    return key;
  }
}
