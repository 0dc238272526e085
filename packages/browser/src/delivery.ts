import { retryDelayMs } from './backoff';
import { boundQueue, takeBatch } from './queue';
import { KEYS, type Store, uuid } from './storage';
import type { Message } from './types';

// Ingest takes up to 500 KB per batch; keepalive fetches and beacons are limited to 64 KB in flight.
const MAX_FETCH_BYTES = 400 * 1024;
const MAX_BEACON_BYTES = 60 * 1024;
const KEEPALIVE_BYTES = 60 * 1024;
const MAX_BATCH_ITEMS = 100;
/**
 * A tab's saved queue that has not been written for this long belongs to a tab that is gone (crashed, or
 * frozen): another tab takes it over. Twice the longest retry wait, since a live tab with a queue rewrites
 * it at every attempt.
 */
const ABANDONED_MS = 10 * 60_000;

export interface DeliveryOptions {
  host: string;
  writeKey: string;
  store: Store;
  flushAt: number;
  flushIntervalMs: number;
}

/**
 * The outgoing queue: batches to `/v1/batch` as text/plain with the write key in the body (no CORS
 * preflight, and the same body works for sendBeacon, which cannot set headers). The queue is mirrored to
 * localStorage (bounded), so events survive offline periods and reloads; an item leaves the queue only
 * once ingest answered for it, and a resend after a lost answer is deduplicated by its messageId.
 * Each tab saves its queue under its own name, so two tabs never overwrite each other's events; a page
 * releases its saved queue when it goes away, and the next page of the site (or another open tab) takes
 * over released and abandoned queues. Two tabs taking over the same queue at once both send it: ingest
 * stores each messageId once.
 * 429 and 5xx and network failures retry with backoff (429's Retry-After wins); other 4xx cannot
 * succeed by retrying, so that batch is dropped with a console warning.
 */
export class Delivery {
  private queue: Message[] = [];
  private sending: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retryAt = 0;
  private attempt = 0;
  private enabled: boolean;
  /** This tab's name for its saved queue. */
  private readonly key = `${KEYS.queue}:${uuid()}`;
  /** The page went away (pagehide): the saved queue is left for the next page to take over. */
  private released = false;

  constructor(private readonly options: DeliveryOptions) {
    this.enabled = options.store.enabled;
    this.adopt();
    addEventListener('online', () => this.retryNow());
    const onHide = (): void => {
      if (document.visibilityState === 'hidden') {
        this.beacon();
      }
    };
    addEventListener('visibilitychange', onHide);
    addEventListener('pagehide', () => {
      this.beacon();
      this.released = true;
      this.persist();
    });
    // Back from the back/forward cache: the queue is this page's again (if another tab took it over
    // meanwhile, both send it, and ingest stores it once).
    addEventListener('pageshow', (event) => {
      if (event.persisted) {
        this.released = false;
        this.persist();
      }
    });
    this.schedule(0);
  }

  enqueue(message: Message): void {
    let copy: Message;
    try {
      // A copy as plain data: the page may change its objects later, or hand us one that cannot be sent.
      copy = JSON.parse(JSON.stringify(message)) as Message;
    } catch (error) {
      console.warn('tributary: an event that is not JSON was dropped', error);
      return;
    }
    this.queue.push(copy);
    this.persist();
    this.schedule(this.queue.length >= this.options.flushAt ? 0 : this.options.flushIntervalMs);
  }

  /** Consent given (true) or withdrawn (false: the queue is forgotten). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) {
      this.queue = [];
      return;
    }
    this.persist();
    this.schedule(0);
  }

  /** Sends everything queued now (retry waits aside); resolves when the attempt is over, never rejects. */
  flush(): Promise<void> {
    if (!this.enabled) {
      return Promise.resolve();
    }
    this.adopt();
    this.sending ??= this.drain().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  private async drain(): Promise<void> {
    while (this.enabled && this.queue.length && Date.now() >= this.retryAt) {
      const batch = takeBatch(this.queue, MAX_BATCH_ITEMS, MAX_FETCH_BYTES);
      if (!(await this.send(batch))) {
        return;
      }
    }
  }

  /** True when ingest answered for the batch (stored, or refused for good); false to retry later. */
  private async send(batch: Message[]): Promise<boolean> {
    const body = this.body(batch);
    let status = 0;
    let retryAfter: string | null = null;
    try {
      const response = await fetch(`${this.options.host}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body,
        credentials: 'omit',
        keepalive: body.length < KEEPALIVE_BYTES,
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      if (status >= 400 && status < 500 && status !== 429) {
        console.warn(`tributary: ingest refused ${batch.length} events (${status}): ${await response.text()}`);
      }
    } catch {
      // Offline, DNS, ingest down: status stays 0 and the batch is retried.
    }
    if (status === 0 || status === 429 || status >= 500) {
      this.attempt += 1;
      const delay = retryDelayMs(this.attempt, status === 429 ? retryAfter : null);
      this.retryAt = Date.now() + delay;
      this.schedule(delay);
      this.persist(); // written at every attempt: other tabs see this one is alive
      return false;
    }
    this.attempt = 0;
    this.remove(batch);
    return true;
  }

  /** Page hidden or leaving: hand what fits to sendBeacon, which outlives the page. */
  private beacon(): void {
    try {
      // Offline, a beacon is accepted and then lost: the events stay queued for the next page instead.
      if (!this.enabled || !this.queue.length || typeof navigator.sendBeacon !== 'function' || !navigator.onLine) {
        return;
      }
      const batch = takeBatch(this.queue, MAX_BATCH_ITEMS, MAX_BEACON_BYTES);
      const blob = new Blob([this.body(batch)], { type: 'text/plain' });
      if (navigator.sendBeacon(`${this.options.host}/v1/batch`, blob)) {
        this.remove(batch);
      }
    } catch {
      // Never into the page; the queue stays in localStorage for the next page.
    }
  }

  private retryNow(): void {
    this.retryAt = 0;
    this.attempt = 0;
    this.schedule(0);
  }

  /** A retry wait is never cut short by new events: they join the retried batch. */
  private schedule(delayMs: number): void {
    delayMs = Math.max(delayMs, this.retryAt - Date.now());
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  private body(batch: Message[]): string {
    return JSON.stringify({ batch, writeKey: this.options.writeKey, sentAt: new Date().toISOString() });
  }

  private remove(batch: Message[]): void {
    const sent = new Set(batch.map((m) => m.messageId));
    this.queue = this.queue.filter((m) => !sent.has(m.messageId));
    this.persist();
  }

  private persist(): void {
    if (!this.enabled) {
      return;
    }
    const { kept } = boundQueue(this.queue);
    this.queue = kept;
    // "<written at> <events>": other tabs read the time without parsing the events (0: released).
    const saved = `${this.released ? 0 : Date.now()} ${JSON.stringify(kept)}`;
    this.options.store.setLocal(this.key, kept.length ? saved : null);
  }

  /**
   * Takes over the saved queues of pages that are gone: released (t 0), or not written for ABANDONED_MS;
   * also the single queue an earlier SDK version saved under the bare name. Their events go first.
   */
  private adopt(): void {
    const { store } = this.options;
    const taken: Message[] = [];
    for (const name of store.localNames(KEYS.queue)) {
      const raw = (name !== this.key && store.getLocal(name)) || '';
      // An earlier version's bare array reads as released.
      const writtenAt = raw.startsWith('[') ? 0 : parseInt(raw, 10);
      if (writtenAt < Date.now() - ABANDONED_MS) {
        taken.push(...readEvents(raw.slice(raw.indexOf('['))));
        store.setLocal(name, null);
      }
    }
    if (taken.length) {
      const mine = new Set(this.queue.map((m) => m.messageId));
      this.queue = [...taken.filter((m) => !mine.has(m.messageId)), ...this.queue];
      this.persist();
    }
  }
}

/** A saved queue's events; none when unreadable. */
function readEvents(json: string): Message[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? (parsed as Message[]) : [];
  } catch {
    return [];
  }
}
