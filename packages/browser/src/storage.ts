/** Names under which the SDK keeps its state in the page's cookies and localStorage. */
export const KEYS = {
  anonymousId: 'tributary_aid',
  userId: 'tributary_uid',
  groupId: 'tributary_gid',
  session: 'tributary_session',
  queue: 'tributary_queue',
  consent: 'tributary_consent',
} as const;

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * Cookie-first persistence with a localStorage fallback (cookies can be blocked, localStorage can throw in
 * private modes): every access is guarded, a failure reads as "absent". While `enabled` is false (consent
 * pending) nothing is written or read, so the page holds no SDK cookie.
 */
export class Store {
  enabled = true;

  constructor(private readonly cookieDomain?: string) {}

  /** The anonymous id lives in a cookie so subdomains can share it (cookieDomain); localStorage backs it. */
  getId(name: string): string | null {
    if (!this.enabled) {
      return null;
    }
    return this.readCookie(name) ?? this.getLocal(name);
  }

  setId(name: string, value: string | null): void {
    if (!this.enabled) {
      return;
    }
    this.writeCookie(name, value);
    this.setLocal(name, value);
  }

  getLocal(name: string): string | null {
    if (!this.enabled) {
      return null;
    }
    try {
      return localStorage.getItem(name);
    } catch {
      return null;
    }
  }

  setLocal(name: string, value: string | null): void {
    if (!this.enabled) {
      return;
    }
    try {
      if (value === null) {
        localStorage.removeItem(name);
      } else {
        localStorage.setItem(name, value);
      }
    } catch {
      // Full or forbidden storage: the SDK keeps working from memory.
    }
  }

  /** The localStorage names starting with `prefix` (each tab's queue has its own name). */
  localNames(prefix: string): string[] {
    const names: string[] = [];
    try {
      for (let i = 0; this.enabled && i < localStorage.length; i++) {
        const name = localStorage.key(i);
        if (name?.startsWith(prefix)) {
          names.push(name);
        }
      }
    } catch {
      // Forbidden storage: nothing to list.
    }
    return names;
  }

  /** Consent given on an earlier page: reading it stores nothing, so it is allowed before consent. */
  consentGranted(): boolean {
    try {
      return localStorage.getItem(KEYS.consent) === 'granted';
    } catch {
      return false;
    }
  }

  /** Removes everything the SDK ever stored (consent withdrawn); works even while disabled. */
  clearAll(): void {
    const wasEnabled = this.enabled;
    this.enabled = true;
    for (const name of [...Object.values(KEYS), ...this.localNames(KEYS.queue)]) {
      this.writeCookie(name, null);
      this.setLocal(name, null);
    }
    this.enabled = wasEnabled;
  }

  private readCookie(name: string): string | null {
    try {
      for (const part of document.cookie.split(';')) {
        const [key, ...rest] = part.trim().split('=');
        if (key === name && rest.length) {
          return decodeURIComponent(rest.join('='));
        }
      }
    } catch {
      // A sandboxed document may refuse cookie access.
    }
    return null;
  }

  private writeCookie(name: string, value: string | null): void {
    try {
      const domain = this.cookieDomain ? `; domain=${this.cookieDomain}` : '';
      const secure = location.protocol === 'https:' ? '; secure' : '';
      const age = value === null ? 0 : ONE_YEAR_SECONDS;
      document.cookie = `${name}=${encodeURIComponent(value ?? '')}; path=/; max-age=${age}; samesite=lax${domain}${secure}`;
    } catch {
      // Same as above: localStorage still holds the value.
    }
  }
}

/** A random UUID, also where crypto.randomUUID is missing (older browsers, insecure origins). */
export function uuid(): string {
  try {
    return crypto.randomUUID();
  } catch {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
