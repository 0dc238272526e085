// Webhooks as Shopify sends them (cloud-apis.md §3.6): subscriptions made with webhookSubscriptionCreate, one POST
// per subscription and event with the REST-shaped JSON body and Shopify's headers, `X-Shopify-Hmac-Sha256` being
// base64 HMAC-SHA256 of the raw body with the app's client secret. A non-2xx answer is retried with the same
// webhook id; a duplicate (on demand, or every delivery with `duplicate: true`) is a new webhook id carrying the
// same X-Shopify-Event-Id, which is what receivers deduplicate on. Every attempt is recorded for tests.
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { gid, iso } from './records';

export interface WebhookSubscription {
  id: number;
  /** The schema's enum value, e.g. CUSTOMERS_UPDATE. */
  topic: string;
  uri: string;
  /** Kept as given and shown; deliveries ignore them (filters and includeFields are not emulated). */
  filter: string | null;
  includeFields: string[];
  createdAt: number;
}

/** What webhookSubscriptionCreate's input may set besides the topic. */
export interface SubscriptionInput {
  uri: string;
  filter?: string | null;
  includeFields?: string[] | null;
}

export interface WebhookConfig {
  /** The app's client secret: the HMAC key. */
  secret: string;
  retries: number;
  backoffMs: number;
  /** Send every delivery twice (same event id, new webhook id). */
  duplicate: boolean;
}

export interface WebhookAttempt {
  url: string;
  topic: string;
  eventId: string;
  webhookId: string;
  attempt: number;
  status: number | null;
  error?: string;
}

interface Delivery {
  url: string;
  topic: string;
  eventId: string;
  body: string;
  triggeredAt: number;
}

export const DEFAULT_WEBHOOK_CONFIG: WebhookConfig = {
  secret: 'tributary-shopify-app-secret',
  retries: 2,
  backoffMs: 200,
  duplicate: false,
};

const TIMEOUT_MS = 10_000;
const KEEP_DELIVERIES = 1000;

/** `customers/update` ↔ `CUSTOMERS_UPDATE`. */
export function topicEnum(topic: string): string {
  return topic.replace('/', '_').toUpperCase();
}

export function hmacOf(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export class WebhookSender {
  readonly attempts: WebhookAttempt[] = [];
  subscriptions: WebhookSubscription[] = [];
  private readonly delivered: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private nextSubscriptionId = 1_330_000_001;

  constructor(
    public config: WebhookConfig,
    private readonly shop: { domain: string; apiVersion: string; nowMs(): number },
  ) {}

  subscribe(topic: string, input: SubscriptionInput): WebhookSubscription | { error: string } {
    const { uri } = input;
    if (!/^https?:\/\//.test(uri)) {
      return { error: 'Address is invalid' };
    }
    if (this.subscriptions.some((each) => each.topic === topic && each.uri === uri)) {
      return { error: 'Address for this topic has already been taken' };
    }
    const subscription = {
      id: this.nextSubscriptionId++,
      topic,
      uri,
      filter: input.filter ?? null,
      includeFields: input.includeFields ?? [],
      createdAt: this.shop.nowMs(),
    };
    this.subscriptions.push(subscription);
    return subscription;
  }

  unsubscribe(id: number): boolean {
    const before = this.subscriptions.length;
    this.subscriptions = this.subscriptions.filter((each) => each.id !== id);
    return this.subscriptions.length < before;
  }

  get(id: number): WebhookSubscription | undefined {
    return this.subscriptions.find((each) => each.id === id);
  }

  view(subscription: WebhookSubscription): Record<string, unknown> {
    return {
      __typename: 'WebhookSubscription',
      id: gid('WebhookSubscription', subscription.id),
      legacyResourceId: String(subscription.id),
      topic: subscription.topic,
      uri: subscription.uri,
      callbackUrl: subscription.uri,
      format: 'JSON',
      filter: subscription.filter,
      includeFields: subscription.includeFields,
      metafieldNamespaces: [],
      metafields: [],
      apiVersion: {
        __typename: 'ApiVersion',
        handle: this.shop.apiVersion,
        displayName: this.shop.apiVersion,
        supported: true,
      },
      createdAt: iso(subscription.createdAt),
      updatedAt: iso(subscription.createdAt),
    };
  }

  hasSubscribers(topic: string): boolean {
    return this.subscriptions.some((each) => each.topic === topicEnum(topic));
  }

  /** One event of `topic` (e.g. `orders/updated`): a delivery to every subscription of that topic. */
  emit(topic: string, payload: unknown): void {
    const body = JSON.stringify(payload);
    const eventId = randomUUID();
    for (const subscription of this.subscriptions.filter((each) => each.topic === topicEnum(topic))) {
      const delivery = { url: subscription.uri, topic, eventId, body, triggeredAt: this.shop.nowMs() };
      this.delivered.push(delivery);
      this.delivered.splice(0, Math.max(0, this.delivered.length - KEEP_DELIVERIES));
      this.send(delivery);
      if (this.config.duplicate) {
        this.send(delivery);
      }
    }
  }

  /** Sends the deliveries of an event (default: the latest event) again: same event id, new webhook ids. */
  redeliver(eventId?: string): number {
    const wanted = eventId ?? this.delivered.at(-1)?.eventId;
    const again = this.delivered.filter((delivery) => delivery.eventId === wanted);
    again.forEach((delivery) => this.send(delivery));
    return again.length;
  }

  /** Resolves once every delivery so far has been answered or has given up. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all([...this.inFlight]);
    }
  }

  async stop(): Promise<void> {
    this.subscriptions = [];
    await this.idle();
  }

  clear(): void {
    this.subscriptions = [];
    this.attempts.length = 0;
    this.delivered.length = 0;
  }

  private send(delivery: Delivery): void {
    const sending = this.deliver(delivery, randomUUID()).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async deliver(delivery: Delivery, webhookId: string): Promise<void> {
    const headers = {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': delivery.topic,
      'X-Shopify-Hmac-Sha256': hmacOf(this.config.secret, delivery.body),
      'X-Shopify-Shop-Domain': this.shop.domain,
      'X-Shopify-API-Version': this.shop.apiVersion,
      'X-Shopify-Webhook-Id': webhookId,
      'X-Shopify-Event-Id': delivery.eventId,
      'X-Shopify-Triggered-At': new Date(delivery.triggeredAt).toISOString(),
    };
    for (let attempt = 1; attempt <= this.config.retries + 1; attempt++) {
      if (attempt > 1) {
        await sleep(this.config.backoffMs * 2 ** (attempt - 2));
      }
      const record: WebhookAttempt = {
        url: delivery.url,
        topic: delivery.topic,
        eventId: delivery.eventId,
        webhookId,
        attempt,
        status: null,
      };
      this.attempts.push(record);
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          headers,
          body: delivery.body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        record.status = response.status;
        await response.arrayBuffer();
        if (response.ok) {
          return;
        }
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
}
