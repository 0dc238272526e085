// Webhook endpoints per account, as `/v1/webhook_endpoints` manages them. The object has exactly the fields of
// Stripe's sample (fixtures/webhook_endpoint.json); its `secret` is only shown by the create response, as
// Stripe shows it, and kept here to sign deliveries (delivery.ts).
import { randomBytes } from 'node:crypto';
import fixture from '../../fixtures/webhook_endpoint.json';
import { base62, stableId } from '../ids';
import { compareNewestFirst } from '../list';
import { fixtureShape } from '../shape';

const ENDPOINT_SHAPE = fixtureShape('webhook_endpoint', fixture);

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  application: null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: false;
  metadata: Record<string, string>;
  status: 'enabled' | 'disabled';
  url: string;
}

export type EndpointInput = Pick<WebhookEndpoint, 'url' | 'enabled_events' | 'description' | 'metadata'>;
export type EndpointChange = Partial<EndpointInput & Pick<WebhookEndpoint, 'status'>>;

/** An endpoint that should receive an event, with the secret its deliveries are signed with. */
export interface Receiver {
  endpoint: WebhookEndpoint;
  secret: string;
}

export class WebhookEndpoints {
  private readonly byAccount = new Map<string, Map<string, Receiver>>();
  private sequence = 0;

  constructor(private seed: number) {}

  /** Forgets every endpoint; ids start over from the seed. */
  reset(seed: number): void {
    this.seed = seed;
    this.sequence = 0;
    this.byAccount.clear();
  }

  /** The new endpoint with its `secret`, which only this response shows. */
  create(account: string, input: EndpointInput, now: number): WebhookEndpoint & { secret: string } {
    const endpoint = ENDPOINT_SHAPE.shape<WebhookEndpoint>({
      id: stableId('we_', 24, this.seed, 'webhook_endpoint', this.sequence++),
      object: 'webhook_endpoint',
      api_version: null,
      application: null,
      created: now,
      description: input.description,
      enabled_events: input.enabled_events,
      livemode: false,
      metadata: input.metadata,
      status: 'enabled',
      url: input.url,
    });
    const secret = `whsec_${base62(randomBytes(32), 32)}`;
    this.accountEndpoints(account).set(endpoint.id, { endpoint, secret });
    return { ...endpoint, secret };
  }

  /** The account's endpoints, newest first. */
  list(account: string): WebhookEndpoint[] {
    return [...this.accountEndpoints(account).values()].map((entry) => entry.endpoint).sort(compareNewestFirst);
  }

  retrieve(account: string, id: string): WebhookEndpoint | undefined {
    return this.accountEndpoints(account).get(id)?.endpoint;
  }

  update(account: string, id: string, change: EndpointChange): WebhookEndpoint | undefined {
    const entry = this.accountEndpoints(account).get(id);
    if (entry) {
      const defined = Object.entries(change).filter(([, value]) => value !== undefined);
      entry.endpoint = { ...entry.endpoint, ...Object.fromEntries(defined) };
    }
    return entry?.endpoint;
  }

  remove(account: string, id: string): boolean {
    return this.accountEndpoints(account).delete(id);
  }

  /** The account's enabled endpoints that take events of `type` (`*` takes all), oldest first. */
  receivers(account: string, type: string): Receiver[] {
    return [...this.accountEndpoints(account).values()]
      .filter(({ endpoint }) => endpoint.status === 'enabled')
      .filter(({ endpoint }) => endpoint.enabled_events.some((enabled) => enabled === '*' || enabled === type))
      .sort((a, b) => -compareNewestFirst(a.endpoint, b.endpoint));
  }

  private accountEndpoints(account: string): Map<string, Receiver> {
    let endpoints = this.byAccount.get(account);
    if (!endpoints) {
      endpoints = new Map();
      this.byAccount.set(account, endpoints);
    }
    return endpoints;
  }
}
