import { retryDelayMs } from './backoff';
import { boundQueue, takeBatch } from './queue';
import { KEYS, type Store } from './storage';
import type { Message } from './types';

// Ingest takes up to 500 KB per batch; keepalive fetches and beacons are limited to 64 KB in flight.
const MAX_FETCH_BYTES = 400 * 1024;
const MAX_BEACON_BYTES = 60 * 1024;
const KEEPALIVE_BYTES = 60 * 1024;
const MAX_BATCH_ITEMS = 100;

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

  constructor(private readonly options: DeliveryOptions) {
    this.enabled = options.store.enabled;
    this.queue = this.restore();
    addEventListener('online', () => this.retryNow());
    const onHide = (): void => {
      if (document.visibilityState === 'hidden') {
        this.beacon();
      }
    };
    addEventListener('visibilitychange', onHide);
    addEventListener('pagehide', () => this.beacon());
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
    this.options.store.setLocal(KEYS.queue, kept.length ? JSON.stringify(kept) : null);
  }

  private restore(): Message[] {
    try {
      const raw = this.options.store.getLocal(KEYS.queue);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed as Message[]) : [];
    } catch {
      return [];
    }
  }
}
