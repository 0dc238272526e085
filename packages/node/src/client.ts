import { EventEmitter } from 'node:events';
import { type BatchLimits, type Pending, batchLimits, batchReady, takeBatch } from './batch.js';
import { ClientClosedError, QueueFullError } from './errors.js';
import { MAX_EVENT_BYTES } from './limits.js';
import { buildMessage } from './message.js';
import { type TransportOptions, deliver } from './transport.js';
import type {
  AliasMessage,
  DeliveryResult,
  Failed,
  GroupMessage,
  IdentifyMessage,
  MessageType,
  PageMessage,
  Rejected,
  ScreenMessage,
  TrackMessage,
  TributaryOptions,
} from './types.js';

export interface TributaryEvents {
  /** Every call's outcome, once. */
  result: [DeliveryResult];
  /** A call ingest (or the SDK, for an event over 32 KB) refused: fix the call, retrying won't help. */
  rejected: [Rejected];
  /** A call the SDK gave up delivering. */
  failed: [Failed];
}

/**
 * A server-side Tributary client. Each call queues at once and returns a promise of its outcome (it never
 * rejects; the same outcome is emitted as `result`, and as `rejected` or `failed` when not stored).
 * Calls are sent in batches to `/v1/batch`; await flush() or close() before the process exits.
 */
export class Tributary extends EventEmitter<TributaryEvents> {
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  /** Calls not yet settled: queued, in flight or waiting to retry. */
  private readonly unsettled = new Set<Promise<DeliveryResult>>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** A flush, close or the interval wants partial batches sent too, until the queue is empty. */
  private draining = false;
  private readonly stopping = new AbortController();
  private readonly limits: BatchLimits;
  private readonly flushInterval: number;
  private readonly maxQueueSize: number;
  private readonly maxInFlight: number;
  private readonly transport: TransportOptions;

  constructor(options: TributaryOptions) {
    super();
    if (!options.writeKey) {
      throw new TypeError('Tributary: writeKey is required (issue one for your source in Tributary).');
    }
    this.limits = batchLimits(options.flushAt, options.flushBytes);
    this.flushInterval = options.flushInterval ?? 1_000;
    this.maxQueueSize = options.maxQueueSize ?? 10_000;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 4);
    this.transport = {
      url: new URL('/v1/batch', options.host).toString(),
      authorization: `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`,
      maxAttempts: Math.max(1, options.maxAttempts ?? 10),
      backoff: { minDelay: options.minRetryDelay ?? 200, maxDelay: options.maxRetryDelay ?? 30_000 },
      timeout: options.timeout ?? 15_000,
      gzip: options.gzip ?? false,
      fetch: options.fetch ?? globalThis.fetch,
      stop: this.stopping.signal,
    };
  }

  identify(message: IdentifyMessage): Promise<DeliveryResult> {
    return this.enqueue('identify', message);
  }
  track(message: TrackMessage): Promise<DeliveryResult> {
    return this.enqueue('track', message);
  }
  page(message: PageMessage): Promise<DeliveryResult> {
    return this.enqueue('page', message);
  }
  screen(message: ScreenMessage): Promise<DeliveryResult> {
    return this.enqueue('screen', message);
  }
  group(message: GroupMessage): Promise<DeliveryResult> {
    return this.enqueue('group', message);
  }
  alias(message: AliasMessage): Promise<DeliveryResult> {
    return this.enqueue('alias', message);
  }

  /** Calls not yet settled (queued, in flight or waiting to retry). */
  get pending(): number {
    return this.unsettled.size;
  }

  /** Sends everything queued; resolves when every call made so far is settled. */
  async flush(): Promise<void> {
    this.draining = true;
    this.pump();
    await Promise.all([...this.unsettled]);
  }

  /**
   * Refuses further calls, sends what is queued and resolves when everything is settled. Past `timeout` ms
   * (default: no limit), retries stop and what is left is reported `failed`.
   */
  async close(options: { timeout?: number } = {}): Promise<void> {
    this.closed = true;
    const deadline =
      options.timeout === undefined ? undefined : setTimeout(() => this.stopping.abort(), options.timeout);
    try {
      await this.flush();
    } finally {
      clearTimeout(deadline);
    }
  }

  private enqueue(type: MessageType, call: object): Promise<DeliveryResult> {
    if (this.closed) {
      throw new ClientClosedError();
    }
    if (this.unsettled.size >= this.maxQueueSize) {
      throw new QueueFullError(this.maxQueueSize);
    }
    const message = buildMessage(type, call as Record<string, unknown>);
    const json = JSON.stringify(message);
    const bytes = Buffer.byteLength(json);
    const messageId = String(message.messageId);
    let settle!: (result: DeliveryResult) => void;
    const promise = new Promise<DeliveryResult>((resolve) => (settle = resolve));
    this.unsettled.add(promise);
    const item: Pending = { messageId, type, json, bytes, settle: (r) => this.settled(promise, settle, r) };
    if (bytes > MAX_EVENT_BYTES) {
      const reason = `The event is ${bytes} bytes of JSON; ingest accepts at most ${MAX_EVENT_BYTES}`;
      item.settle({ status: 'rejected', messageId, type, code: 'too_large', field: '', reason });
      return promise;
    }
    this.queue.push(item);
    this.queuedBytes += bytes;
    this.pump();
    return promise;
  }

  private settled(
    promise: Promise<DeliveryResult>,
    resolve: (r: DeliveryResult) => void,
    result: DeliveryResult,
  ): void {
    if (!this.unsettled.delete(promise)) {
      return; // settled already
    }
    resolve(result);
    this.emit('result', result);
    if (result.status === 'rejected') {
      this.emit('rejected', result);
    } else if (result.status === 'failed') {
      this.emit('failed', result);
    }
  }

  /** Starts batches while slots are free: full ones always, partial ones while draining. */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      if (!this.draining && !batchReady(this.queue.length, this.queuedBytes, this.limits)) {
        break;
      }
      const batch = takeBatch(this.queue, this.limits);
      this.queuedBytes -= batch.reduce((sum, i) => sum + i.bytes, 0);
      this.inFlight++;
      void deliver(batch, this.transport).finally(() => {
        this.inFlight--;
        this.pump(); // a freed slot takes the next batch
      });
    }
    if (this.queue.length === 0) {
      this.draining = false;
    }
    this.schedule();
  }

  /** A timer only while calls are queued: it keeps the process alive until they are sent. */
  private schedule(): void {
    if (this.queue.length === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.draining = true;
        this.pump();
      }, this.flushInterval);
    }
  }
}
