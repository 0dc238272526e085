// Delivery of events to webhook endpoints: each event is POSTed, as pretty-printed JSON and signed
// (signature.ts), to every enabled endpoint of its account that takes its type. A non-2xx answer or a network
// error is retried after a doubling backoff. Test options make delivery misbehave as Stripe's may: each event
// twice, pairs swapped, or a second signature as during a secret rotation. Every attempt is recorded.
import { setTimeout as sleep } from 'node:timers/promises';
import type { StripeEvent } from '../events/event';
import type { Receiver } from './endpoints';
import { signatureHeader } from './signature';

export interface DeliveryOptions {
  /** Deliver each event twice. */
  duplicate: boolean;
  /** Swap each pair of consecutive events; an event with no successor is sent after HOLD_MS alone. */
  outOfOrder: boolean;
  /** Also sign with this secret (a second `v1=`), as Stripe does while an endpoint's secret is rolled. */
  secondSecret?: string;
}

export interface RetryPolicy {
  /** Attempts after the first (0: no retry). */
  retries: number;
  /** Wait before the first retry; each later one waits twice as long. */
  backoffMs: number;
}

export interface DeliveryAttempt {
  event: string;
  type: string;
  endpoint: string;
  url: string;
  /** 1 for the first attempt of a delivery. */
  attempt: number;
  /** The HTTP status, or null when no answer came (network error or timeout; see `error`). */
  status: number | null;
  error?: string;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, backoffMs: 250 };
const HOLD_MS = 200;
const TIMEOUT_MS = 10_000;

interface Pending {
  event: StripeEvent;
  receivers: Receiver[];
}

export class WebhookDelivery {
  options: DeliveryOptions = { duplicate: false, outOfOrder: false };
  readonly attempts: DeliveryAttempt[] = [];
  private held: { pending: Pending; timer: NodeJS.Timeout } | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = new AbortController();

  constructor(
    private readonly nowSeconds: () => number,
    public retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** Sends `event` to `receivers` (resolved when the event happened), now or, out of order, with the next one. */
  send(event: StripeEvent, receivers: Receiver[]): void {
    if (receivers.length === 0) {
      return;
    }
    const pending = { event, receivers };
    if (!this.options.outOfOrder) {
      return this.track(this.start(pending));
    }
    const held = this.held;
    if (!held) {
      this.held = { pending, timer: setTimeout(() => this.release(), HOLD_MS) };
      return;
    }
    this.release(false);
    // The later event first, and the earlier one only once it has gone out, so the swap is what arrives.
    this.track(this.start(pending).then(() => this.start(held.pending)));
  }

  /** Resolves once every delivery started so far has finished (retries included). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.held) {
      await Promise.all([...this.inFlight, ...(this.held ? [sleep(HOLD_MS)] : [])]);
    }
  }

  /** Drops held events and abandons retries and requests under way (unrecorded); resolves once they ended. */
  async stop(): Promise<void> {
    const abandoned = [...this.inFlight];
    this.release(false);
    this.stopping.abort();
    this.stopping = new AbortController();
    await Promise.allSettled(abandoned);
  }

  /** Stops, and forgets the records and options. */
  reset(): void {
    void this.stop();
    this.attempts.length = 0;
    this.options = { duplicate: false, outOfOrder: false };
  }

  private release(deliver = true): void {
    const held = this.held;
    this.held = undefined;
    if (held) {
      clearTimeout(held.timer);
      if (deliver) {
        this.track(this.start(held.pending));
      }
    }
  }

  /** Every delivery of the event (to each receiver, twice when duplicating), at once. */
  private async start({ event, receivers }: Pending): Promise<void> {
    const body = `${JSON.stringify(event, null, 2)}\n`;
    const copies = this.options.duplicate ? 2 : 1;
    const deliveries = receivers.flatMap((receiver) =>
      Array.from({ length: copies }, () => this.deliver(event, body, receiver)),
    );
    await Promise.all(deliveries);
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async deliver(event: StripeEvent, body: string, { endpoint, secret }: Receiver): Promise<void> {
    const signal = this.stopping.signal;
    const secrets = this.options.secondSecret ? [secret, this.options.secondSecret] : [secret];
    const { retries, backoffMs } = this.retry;
    for (let attempt = 1; !signal.aborted; attempt++) {
      const record: DeliveryAttempt = {
        event: event.id,
        type: event.type,
        endpoint: endpoint.id,
        url: endpoint.url,
        attempt,
        status: null,
      };
      try {
        const response = await fetch(endpoint.url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'stripe-signature': signatureHeader(body, this.nowSeconds(), secrets),
          },
          signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
        });
        await response.arrayBuffer();
        record.status = response.status;
      } catch (error) {
        record.error = (error as Error).message;
      }
      if (signal.aborted) {
        return;
      }
      this.attempts.push(record);
      const delivered = record.status !== null && record.status >= 200 && record.status < 300;
      if (delivered || attempt > retries) {
        return;
      }
      await sleep(backoffMs * 2 ** (attempt - 1), undefined, { signal }).catch(() => undefined);
    }
  }
}
