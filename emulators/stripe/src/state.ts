// Everything the emulator remembers, in one object that tests can reach directly (`emulator.state`) as
// well as through the /_emulator control endpoints.
import { AccountRegistry, defaultAccountId } from './accounts';
import type { AuthConfig } from './auth';
import { type Billing, generateBilling } from './billing';
import type { BillingWriter } from './billing-writer';
import { type EventOrigin, NO_REQUEST } from './events/event';
import { advanceTrials } from './subscriptions/trials';
import { cancelCustomerSubscriptions } from './subscriptions/writes';
import { EmulatorClock } from './clock';
import { type ObjectCounts, resolveCounts } from './counts';
import { CustomerStore } from './customers/store';
import { EventLog } from './events/log';
import { FaultQueue } from './faults';
import { IdempotencyStore } from './idempotency';
import { parseRateLimit, RateLimiter } from './rate-limit';
import { RequestStats } from './stats';
import type { RetryPolicy } from './webhooks/delivery';
import { Webhooks } from './webhooks/webhooks';

export const DEFAULT_CUSTOMERS = 250;
export const DEFAULT_SEED = 1;
/** The one key a fresh emulator accepts, as the README, `.env.example` and the dev scripts use it. */
export const DEFAULT_KEYS: readonly string[] = ['sk_test_tributary'];

/** Object counts to generate; omitted ones are derived from the customer count (see counts.ts). */
export type CountOptions = Partial<ObjectCounts>;

export interface StateOptions extends CountOptions {
  seed?: number;
  /** The secret keys that pass (default DEFAULT_KEYS); any other key gets Stripe's 401 `Invalid API Key`. */
  keys?: readonly string[];
  restrictedKeys?: readonly string[];
  /** Milliseconds since the epoch, like Date.now: the source of the controllable clock (clock.ts), which
   * stamps `created` of new customers and events, and at each generation decides where trials end (after
   * it) and where invoices and cancellations lie (before it). */
  clock?: () => number;
  /** Default 0: every API response waits this long first (emulated network and Stripe latency). */
  latencyMs?: number;
  /** Default 0 (off): Stripe's per-account request-rate limit, e.g. 25 as in test mode (rate-limit.ts). */
  rateLimitPerSecond?: number;
  /** How failed webhook deliveries are retried; default DEFAULT_RETRY (webhooks/delivery.ts). */
  webhookRetry?: RetryPolicy;
}

export class EmulatorState {
  readonly customers: CustomerStore;
  /** Subscriptions, invoices and charges; replaced by reset(). */
  billing!: Billing;
  readonly faults: FaultQueue;
  /** Stripe's per-account limiter; reset() restores the start-up limit. */
  readonly rateLimit: RateLimiter;
  private readonly initialRateLimit: number;
  readonly stats = new RequestStats();
  readonly auth: AuthConfig;
  readonly accounts: AccountRegistry;
  readonly clock: EmulatorClock;
  readonly events: EventLog;
  readonly webhooks: Webhooks;
  /** Saved responses of idempotent requests; cleared by reset(). */
  readonly idempotency = new IdempotencyStore(() => this.nowSeconds());
  /** The counts given at start, which reset() regenerates unless told otherwise. */
  private readonly initialCounts: CountOptions;
  /** The counts generated last. */
  counts!: ObjectCounts;
  /** The seed customers are generated from; changed by reset(). */
  seed: number;
  /** Added before every API response (not the control endpoints); reset() restores the start-up value. */
  latencyMs: number;
  private readonly initialLatencyMs: number;

  constructor(options: StateOptions = {}) {
    this.clock = new EmulatorClock(options.clock);
    this.seed = options.seed ?? DEFAULT_SEED;
    this.faults = new FaultQueue(this.seed);
    this.initialRateLimit = parseRateLimit(options.rateLimitPerSecond ?? 0);
    this.rateLimit = new RateLimiter(this.initialRateLimit);
    this.webhooks = new Webhooks(this.seed, () => this.nowSeconds(), options.webhookRetry);
    this.events = new EventLog(
      this.seed,
      () => this.nowSeconds(),
      (event, account) => this.webhooks.dispatch(event, account ?? this.accounts.defaultAccount),
    );
    this.customers = new CustomerStore(
      this.seed,
      () => this.nowSeconds(),
      this.events,
      (id, request) => cancelCustomerSubscriptions(this.billingWriter(request), id),
    );
    this.accounts = new AccountRegistry(defaultAccountId(this.seed));
    const keys = new Set(options.keys ?? DEFAULT_KEYS);
    this.auth = {
      restrictedKeys: new Set(options.restrictedKeys ?? []),
      isKnown: (key) => keys.has(key) || this.accounts.knows(key),
      accountOf: (key) => this.accounts.accountOf(key),
    };
    const { customers, subscriptions, invoices, charges } = options;
    this.initialCounts = { customers, subscriptions, invoices, charges };
    this.initialLatencyMs = parseLatency(options.latencyMs ?? 0);
    this.latencyMs = this.initialLatencyMs;
    this.generate(this.resolve(this.initialCounts));
  }

  /**
   * Back to a fresh start: regenerated objects (counts not given: the start-up ones when no count is given at
   * all, else derived from the customers, at the clock's current time), no events, no faults, no stats, the
   * start-up latency; the clock stays where it is (a test may set it, then generate around it). Restricted keys
   * stay configured and keys made for an account keep it; the default account follows the seed.
   */
  reset(options: CountOptions & { seed?: number } = {}): void {
    const { seed, ...given } = options;
    // Resolved first, so that refused counts leave the state as it was.
    const counts = this.resolve(Object.values(given).some((count) => count !== undefined) ? given : this.initialCounts);
    this.seed = seed ?? this.seed;
    this.accounts.defaultAccount = defaultAccountId(this.seed);
    this.generate(counts);
    this.faults.clear(this.seed);
    this.stats.clear();
    this.latencyMs = this.initialLatencyMs;
    this.rateLimit.perSecond = this.initialRateLimit;
    this.rateLimit.clear();
  }

  private resolve(given: CountOptions): ObjectCounts {
    return resolveCounts(given, this.initialCounts.customers ?? DEFAULT_CUSTOMERS);
  }

  private generate(counts: ObjectCounts): void {
    this.counts = counts;
    this.events.reset(this.seed);
    this.webhooks.reset(this.seed);
    this.idempotency.clear();
    this.customers.reset(this.counts.customers, this.seed);
    this.billing = generateBilling(this.seed, this.counts, this.nowSeconds());
  }

  nowSeconds(): number {
    return this.clock.nowSeconds();
  }

  /** What a write to subscriptions, invoices or charges works with, now, for the request named. */
  billingWriter(request: EventOrigin = NO_REQUEST): BillingWriter {
    return {
      seed: this.seed,
      billing: this.billing,
      customers: this.customers,
      events: this.events,
      now: this.nowSeconds(),
      request,
    };
  }

  /** Applies what the clock has made due (trial notices and trial ends); run before every request. */
  advanceBilling(): void {
    advanceTrials(this.billingWriter());
  }
}

/** A latency in whole milliseconds, 0 (off) to 60,000; throws RangeError with the reason otherwise. */
export function parseLatency(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 60_000) {
    throw new RangeError('ms must be an integer from 0 (off) to 60000');
  }
  return value as number;
}
