import { installAutocapture } from './autocapture';
import { browserContext, pageProperties } from './context';
import { Delivery } from './delivery';
import { watchHistory } from './history';
import { loadSession, saveSession, type SessionState, touchSession } from './session';
import { resolveAutocapture } from './settings';
import { KEYS, Store, uuid } from './storage';
import type { CallOptions, LoadOptions, Message, Properties } from './types';

const MINUTE_MS = 60_000;

interface Loaded {
  writeKey: string;
  options: LoadOptions;
  store: Store;
  delivery: Delivery;
  timeoutMs: number;
}

/**
 * The SDK's state and calls. Calls made before `load` wait in memory and run once loaded; the public
 * surface (api.ts) guards every method, so nothing here is allowed to reach the page as an exception.
 */
export class Client {
  private loaded: Loaded | null = null;
  private readonly pending: (() => void)[] = [];
  private readonly readyCallbacks: (() => void)[] = [];
  private isReady = false;
  private anonymousId = uuid();
  private userId: string | null = null;
  private groupId: string | null = null;
  private session: SessionState | null = null;
  private sessionTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly defaultHost: string) {}

  load(writeKey: string, options: LoadOptions = {}): void {
    if (this.loaded || typeof writeKey !== 'string' || !writeKey) {
      return;
    }
    const host = (options.host ?? this.defaultHost).replace(/\/+$/, '');
    const store = new Store(options.cookieDomain);
    store.enabled = !options.requireConsent || store.consentGranted();
    const delivery = new Delivery({
      host,
      writeKey,
      store,
      flushAt: options.flushAt ?? 20,
      flushIntervalMs: options.flushIntervalMs ?? 1000,
    });
    const timeoutMs = (options.sessionTimeoutMinutes ?? 30) * MINUTE_MS;
    this.loaded = { writeKey, options, store, delivery, timeoutMs };
    this.restoreIdentity();
    for (const call of this.pending.splice(0)) {
      call();
    }
    void resolveAutocapture(host, writeKey, options.autocapture).then((autocapture) => {
      if (autocapture.pageViews) {
        this.page();
        watchHistory(() => this.page());
      }
      installAutocapture(autocapture, (event, properties) => this.track(event, properties));
      this.isReady = true;
      for (const callback of this.readyCallbacks.splice(0)) {
        safely(callback);
      }
    });
  }

  identify(userId?: string | Properties | null, traits?: Properties, options?: CallOptions): void {
    if (userId !== null && typeof userId === 'object') {
      [userId, traits, options] = [undefined, userId, traits];
    }
    if (typeof userId === 'string' && userId) {
      this.userId = userId;
      this.loaded?.store.setLocal(KEYS.userId, userId);
    }
    this.send('identify', { traits: traits ?? {} }, options);
  }

  track(event: string, properties?: Properties, options?: CallOptions): void {
    this.send('track', { event: String(event), properties: properties ?? {} }, options);
  }

  /** page(name?, properties?, options?) or page(properties?, options?); the page's own fields fill in. */
  page(name?: string | Properties, properties?: Properties, options?: CallOptions): void {
    if (name !== null && typeof name === 'object') {
      [name, properties, options] = [undefined, name, properties];
    }
    const fields: Properties = { properties: { ...pageProperties(), ...(properties ?? {}) } };
    if (typeof name === 'string') {
      fields.name = name;
    }
    this.send('page', fields, options);
  }

  group(groupId: string, traits?: Properties, options?: CallOptions): void {
    this.groupId = String(groupId);
    this.loaded?.store.setLocal(KEYS.groupId, this.groupId);
    this.send('group', { groupId: this.groupId, traits: traits ?? {} }, options);
  }

  /** alias(newUserId, previousId?): previousId defaults to the current user (or anonymous) id. */
  alias(userId: string, previousId?: string, options?: CallOptions): void {
    const previous = previousId ?? this.userId ?? this.anonymousId;
    this.userId = String(userId);
    this.loaded?.store.setLocal(KEYS.userId, this.userId);
    this.send('alias', { previousId: previous }, options);
  }

  /** Forgets the user: new anonymous id, no user or group, a new session on the next event. */
  reset(): void {
    this.userId = null;
    this.groupId = null;
    this.anonymousId = uuid();
    this.session = null;
    const store = this.loaded?.store;
    store?.setLocal(KEYS.userId, null);
    store?.setLocal(KEYS.groupId, null);
    store?.setId(KEYS.anonymousId, this.anonymousId);
    if (store) {
      saveSession(store, null);
    }
  }

  ready(callback: () => void): void {
    if (typeof callback !== 'function') {
      return;
    }
    if (this.isReady) {
      safely(callback);
    } else {
      this.readyCallbacks.push(callback);
    }
  }

  /** With requireConsent, nothing is stored or sent until consent(true); consent(false) erases it all. */
  consent(granted: boolean): void {
    if (!this.loaded) {
      this.pending.push(() => this.consent(granted));
      return;
    }
    const { store, delivery } = this.loaded;
    if (granted) {
      store.enabled = true;
      store.setLocal(KEYS.consent, 'granted');
      this.persistIdentity();
    } else {
      store.clearAll();
      store.enabled = false;
    }
    delivery.setEnabled(granted);
  }

  flush(): Promise<void> {
    return this.loaded ? this.loaded.delivery.flush() : Promise.resolve();
  }

  private send(type: Message['type'], fields: Properties, options: CallOptions = {}): void {
    if (!this.loaded) {
      this.pending.push(() => this.send(type, fields, options));
      return;
    }
    const now = Date.now();
    const sessionId = this.sessionFor(now);
    this.enqueue(type, fields, options, sessionId, now);
  }

  private enqueue(type: Message['type'], fields: Properties, options: CallOptions, sessionId: string, at: number) {
    const timestamp = options.timestamp ? new Date(options.timestamp) : new Date(at);
    const message: Message = {
      ...fields,
      type,
      messageId: uuid(),
      timestamp: timestamp.toISOString(),
      anonymousId: options.anonymousId ?? this.anonymousId,
      context: { ...browserContext(), ...(options.context ?? {}), sessionId },
    };
    if (this.userId) {
      message.userId = this.userId;
    }
    if (this.groupId) {
      message.context.groupId = this.groupId;
    }
    if (options.integrations) {
      message.integrations = options.integrations;
    }
    this.loaded?.delivery.enqueue(message);
  }

  /** The session this event belongs to, emitting session_end/session_start at the boundaries. */
  private sessionFor(now: number): string {
    const { store, timeoutMs } = this.loaded!;
    const touch = touchSession(loadSession(store) ?? this.session, now, timeoutMs);
    if (touch.ended) {
      this.endSession(touch.ended);
    }
    this.session = touch.session;
    saveSession(store, touch.session);
    if (touch.started) {
      this.enqueue('track', { event: 'session_start', properties: {} }, {}, touch.session.id, now);
    }
    clearTimeout(this.sessionTimer);
    this.sessionTimer = setTimeout(() => this.endIfIdle(), timeoutMs + 100);
    return touch.session.id;
  }

  /** The page stayed open and idle past the timeout (another tab may have kept the session alive). */
  private endIfIdle(): void {
    try {
      const { store, timeoutMs } = this.loaded!;
      const current = loadSession(store) ?? this.session;
      if (current && Date.now() - current.lastActivity >= timeoutMs) {
        this.endSession(current);
        this.session = null;
        saveSession(store, null);
      }
    } catch {
      // Never into the page.
    }
  }

  private endSession(ended: SessionState): void {
    const properties = { durationMs: ended.lastActivity - ended.startedAt };
    this.enqueue('track', { event: 'session_end', properties }, {}, ended.id, ended.lastActivity);
  }

  private restoreIdentity(): void {
    const { store } = this.loaded!;
    this.anonymousId = store.getId(KEYS.anonymousId) ?? this.anonymousId;
    this.userId = store.getLocal(KEYS.userId) ?? this.userId;
    this.groupId = store.getLocal(KEYS.groupId) ?? this.groupId;
    this.persistIdentity();
  }

  private persistIdentity(): void {
    const { store } = this.loaded!;
    store.setId(KEYS.anonymousId, this.anonymousId);
    store.setLocal(KEYS.userId, this.userId);
    store.setLocal(KEYS.groupId, this.groupId);
    if (this.session) {
      saveSession(store, this.session);
    }
  }
}

/** Runs a page callback; its errors are the page's, reported asynchronously and never stopping the SDK. */
function safely(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}
