// Everything one emulated shop holds: its records, tokens, clock, cost bucket, faults, latency, search index lag,
// bulk operations and webhook subscriptions. `reset` regenerates the data from a seed and clears the rest.
import { DEFAULT_TOKENS, type Tokens } from './auth';
import { BulkOperations, type BulkTiming } from './bulk';
import { runBulkQuery } from './bulk-run';
import { EmulatorClock } from '../../shared/clock';
import { type BucketLimits, CostBucket, SHOPIFY_BUCKET } from './cost';
import { FaultQueue } from './faults';
import { gid, iso, type Resource } from './records';
import { CURRENCY } from './shape';
import { type Counts, type RecordChange, ShopStore } from './store';
import { SUPPORTED_VERSIONS } from './versions';
import { restBody } from './webhook-bodies';
import { DEFAULT_WEBHOOK_CONFIG, type WebhookConfig, WebhookSender } from './webhooks';

export const DEFAULT_SEED = 1;
export const DEFAULT_COUNTS: Counts = { customers: 300, orders: 400, products: 120 };
export const DEFAULT_SHOP = 'tributary-emu.myshopify.com';

export interface DataOptions extends Partial<Counts> {
  seed?: number;
}

export interface StateOptions extends DataOptions {
  tokens?: Tokens;
  /** The clock's source (default Date.now); tests pass a fixed time so generated stamps are exact. */
  clock?: () => number;
  /** `<name>.myshopify.com`, sent in X-Shopify-Shop-Domain and answered by `shop`. */
  shopDomain?: string;
  /** The cost bucket (default 2000 points, 100 per second), or false for no throttling. */
  limits?: Partial<BucketLimits> | false;
  /** Records written within this many ms (emulator clock) are not found by a `query` filter yet (default 0). */
  searchLagMs?: number;
  /** Every API response waits this long first (default 0). */
  latencyMs?: number;
  bulk?: Partial<BulkTiming>;
  webhooks?: Partial<WebhookConfig>;
  versions?: string[];
}

const TOPICS: Record<Resource, Record<RecordChange['kind'], string>> = {
  customers: { create: 'customers/create', update: 'customers/update', delete: 'customers/delete' },
  orders: { create: 'orders/create', update: 'orders/updated', delete: 'orders/delete' },
  products: { create: 'products/create', update: 'products/update', delete: 'products/delete' },
};

export class ShopState {
  readonly clock: EmulatorClock;
  readonly tokens: Tokens;
  readonly shopDomain: string;
  readonly bucket: CostBucket;
  readonly faults = new FaultQueue();
  readonly bulk: BulkOperations;
  readonly webhooks: WebhookSender;
  readonly versions: string[];
  searchLagMs: number;
  latencyMs: number;
  seed: number;
  store: ShopStore;
  /** Where the emulator answers, for bulk result URLs; set once it listens. */
  baseUrl = 'http://127.0.0.1';

  constructor(options: StateOptions = {}) {
    this.clock = new EmulatorClock(options.clock);
    this.tokens = options.tokens ?? DEFAULT_TOKENS;
    this.shopDomain = options.shopDomain ?? DEFAULT_SHOP;
    this.bucket = new CostBucket(options.limits === false ? false : { ...SHOPIFY_BUCKET, ...options.limits });
    this.versions = options.versions ?? SUPPORTED_VERSIONS;
    this.searchLagMs = options.searchLagMs ?? 0;
    this.latencyMs = options.latencyMs ?? 0;
    this.webhooks = new WebhookSender(
      { ...DEFAULT_WEBHOOK_CONFIG, ...options.webhooks },
      { domain: this.shopDomain, apiVersion: this.versions[0], nowMs: () => this.clock.nowMs() },
    );
    this.bulk = new BulkOperations(
      {
        nowMs: () => this.clock.nowMs(),
        baseUrl: () => this.baseUrl,
        run: (operation) => runBulkQuery(this, operation),
        finished: (operation) =>
          this.webhooks.emit('bulk_operations/finish', {
            admin_graphql_api_id: gid('BulkOperation', operation.id),
            completed_at: operation.completedAt === null ? null : iso(operation.completedAt),
            created_at: iso(operation.createdAt),
            error_code: operation.errorCode?.toLowerCase() ?? null,
            status: operation.status.toLowerCase(),
            type: 'query',
          }),
      },
      options.bulk,
    );
    this.seed = options.seed ?? DEFAULT_SEED;
    this.store = this.generate(options);
  }

  /** New data from the seed and counts (defaults for those not given); faults, bucket, jobs and hooks cleared. */
  reset(options: DataOptions = {}): void {
    this.seed = options.seed ?? DEFAULT_SEED;
    this.faults.clear();
    this.bucket.reset();
    this.bulk.clear();
    this.webhooks.clear();
    this.store = this.generate(options);
  }

  shopView(): Record<string, unknown> {
    return {
      __typename: 'Shop',
      id: gid('Shop', 1),
      name: this.shopDomain.replace('.myshopify.com', ''),
      myshopifyDomain: this.shopDomain,
      email: `owner@${this.shopDomain}`,
      currencyCode: CURRENCY,
      ianaTimezone: 'Etc/UTC',
    };
  }

  private generate(options: DataOptions): ShopStore {
    const counts = { ...DEFAULT_COUNTS, ...options };
    return new ShopStore(this.seed, counts, this.clock.nowMs(), (change) => this.onChange(change));
  }

  /** A change's webhook; the REST body is only built when someone subscribed to the topic. */
  private onChange(change: RecordChange): void {
    const topic = TOPICS[change.resource][change.kind];
    if (!this.webhooks.hasSubscribers(topic)) {
      return;
    }
    this.webhooks.emit(topic, restBody(change.resource, change.record, change.kind === 'delete'));
  }
}
