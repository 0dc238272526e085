// Webhook delivery as HubSpot does it (cloud-apis.md §2.7): record changes become events, which are POSTed in
// batches (a JSON array of up to 100 events) to the app's target URL, signed with the client secret. A batch
// that fails (non-2xx or no answer) is sent again after a doubling backoff with `attemptNumber` raised.
// Every attempt is recorded so tests can see what went out.
import { setTimeout as sleep } from 'node:timers/promises';
import { type ObjectType, singular } from './object-types';
import type { RecordChange } from './records';
import { signedHeaders } from './signature';

export interface WebhookConfig {
  /** Where batches go; nothing is sent while unset. */
  targetUrl?: string;
  clientSecret: string;
  appId: number;
  /** Events per request (HubSpot: up to 100). */
  batchSize: number;
  /** How long events gather before a batch goes out. */
  flushMs: number;
  retries: number;
  backoffMs: number;
}

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  /** Absent on associationChange events, which name both sides instead. */
  objectId?: number;
  changeSource: 'CRM_UI' | 'API' | 'INTEGRATION';
  changeFlag?: 'NEW' | 'DELETED';
  propertyName?: string;
  propertyValue?: string;
  // associationChange only: e.g. CONTACT_TO_COMPANY, from the subscription's object to the other.
  associationType?: string;
  fromObjectId?: number;
  toObjectId?: number;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

/** One link added or removed, as `<from>.associationChange` reports it. */
export interface AssociationChange {
  from: ObjectType;
  fromId: number;
  to: ObjectType;
  toId: number;
  removed: boolean;
  primary: boolean;
}

export interface WebhookAttempt {
  url: string;
  events: number;
  attempt: number;
  status: number | null;
  error?: string;
}

export const DEFAULT_WEBHOOKS: WebhookConfig = {
  clientSecret: 'tributary-hubspot-app-secret',
  appId: 4_210_001,
  batchSize: 100,
  flushMs: 50,
  retries: 3,
  backoffMs: 250,
};

const TIMEOUT_MS = 10_000;

export class WebhookSender {
  readonly attempts: WebhookAttempt[] = [];
  private pending: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextEventId = 1_000_001;
  /** One subscription per subscription type, numbered as they first fire. */
  private readonly subscriptionIds = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    public config: WebhookConfig,
    private readonly portalId: number,
    private readonly nowMs: () => number,
  ) {}

  /** Turns a record change into its event and queues it; nothing when no target URL is set. */
  record(change: RecordChange): void {
    if (!this.config.targetUrl) {
      return;
    }
    const subscriptionType = `${singular(change.type)}.${change.kind}`;
    this.pending.push({
      eventId: this.nextEventId++,
      subscriptionId: this.subscriptionId(subscriptionType),
      portalId: this.portalId,
      appId: this.config.appId,
      occurredAt: this.nowMs(),
      subscriptionType,
      attemptNumber: 0,
      objectId: change.record.id,
      changeSource: 'CRM_UI',
      ...(change.kind === 'creation' ? { changeFlag: 'NEW' as const } : {}),
      ...(change.kind === 'deletion' ? { changeFlag: 'DELETED' as const } : {}),
      ...(change.kind === 'propertyChange'
        ? { propertyName: change.propertyName, propertyValue: change.propertyValue }
        : {}),
    });
    this.queued();
  }

  /** Queues the `<from>.associationChange` event of a link added or removed; nothing when no target URL is set. */
  recordAssociation(change: AssociationChange): void {
    if (!this.config.targetUrl) {
      return;
    }
    const subscriptionType = `${singular(change.from)}.associationChange`;
    this.pending.push({
      eventId: this.nextEventId++,
      subscriptionId: this.subscriptionId(subscriptionType),
      portalId: this.portalId,
      appId: this.config.appId,
      occurredAt: this.nowMs(),
      subscriptionType,
      attemptNumber: 0,
      changeSource: 'CRM_UI',
      associationType: `${singular(change.from)}_TO_${singular(change.to)}`.toUpperCase(),
      fromObjectId: change.fromId,
      toObjectId: change.toId,
      associationRemoved: change.removed,
      isPrimaryAssociation: change.primary,
    });
    this.queued();
  }

  private queued(): void {
    if (this.pending.length >= this.config.batchSize) {
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), this.config.flushMs);
    }
  }

  /** Resolves once every queued event was delivered or gave up (retries included). */
  async idle(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight.size > 0) {
      this.flush();
      await Promise.all([...this.inFlight]);
    }
  }

  async stop(): Promise<void> {
    this.config = { ...this.config, targetUrl: undefined };
    clearTimeout(this.timer);
    this.pending = [];
    await Promise.all([...this.inFlight]);
  }

  private subscriptionId(subscriptionType: string): number {
    if (!this.subscriptionIds.has(subscriptionType)) {
      this.subscriptionIds.set(subscriptionType, 2_000_001 + this.subscriptionIds.size);
    }
    return this.subscriptionIds.get(subscriptionType)!;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const url = this.config.targetUrl;
    while (url && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.config.batchSize);
      const delivery = this.deliver(url, batch).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  private async deliver(url: string, events: WebhookEvent[]): Promise<void> {
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (attempt > 0) {
        await sleep(this.config.backoffMs * 2 ** (attempt - 1));
      }
      const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber: attempt })));
      const record: WebhookAttempt = { url, events: events.length, attempt: attempt + 1, status: null };
      this.attempts.push(record);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: signedHeaders(this.config.clientSecret, url, body, this.nowMs()),
          body,
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
