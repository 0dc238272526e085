// Everything the emulator remembers, in one object that tests can reach directly (`emulator.state`) as
// well as through the /_emulator control endpoints.
import { AccountRegistry, defaultAccountId } from './accounts';
import type { AuthConfig } from './auth';
import { CustomerStore } from './customers/store';
import { FaultQueue } from './faults';
import { RequestStats } from './stats';

export const DEFAULT_CUSTOMERS = 250;
export const DEFAULT_SEED = 1;

export interface StateOptions {
  customers?: number;
  seed?: number;
  restrictedKeys?: readonly string[];
  /** Milliseconds since the epoch, like Date.now; sets `created` of customers seeded later. */
  clock?: () => number;
  /** Default 0: every API response waits this long first (emulated network and Stripe latency). */
  latencyMs?: number;
}

export class EmulatorState {
  readonly customers: CustomerStore;
  readonly faults: FaultQueue;
  readonly stats = new RequestStats();
  readonly auth: AuthConfig;
  readonly accounts: AccountRegistry;
  readonly clock: () => number;
  /** The count given at start, which reset() regenerates unless told otherwise. */
  private readonly initialCustomers: number;
  /** The seed customers are generated from; changed by reset(). */
  seed: number;
  /** Added before every API response (not the control endpoints); reset() restores the start-up value. */
  latencyMs: number;
  private readonly initialLatencyMs: number;

  constructor(options: StateOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.seed = options.seed ?? DEFAULT_SEED;
    this.faults = new FaultQueue(this.seed);
    this.customers = new CustomerStore(this.seed, () => this.nowSeconds());
    this.accounts = new AccountRegistry(defaultAccountId(this.seed));
    this.auth = {
      restrictedKeys: new Set(options.restrictedKeys ?? []),
      accountOf: (key) => this.accounts.accountOf(key),
    };
    this.initialCustomers = options.customers ?? DEFAULT_CUSTOMERS;
    this.initialLatencyMs = parseLatency(options.latencyMs ?? 0);
    this.latencyMs = this.initialLatencyMs;
    this.customers.reset(this.initialCustomers);
  }

  /**
   * Back to a fresh start: regenerated customers, no faults, no stats, the start-up latency. Restricted keys
   * stay configured and keys made for an account keep it; the default account follows the seed.
   */
  reset(options: { customers?: number; seed?: number } = {}): void {
    this.seed = options.seed ?? this.seed;
    this.accounts.defaultAccount = defaultAccountId(this.seed);
    this.customers.reset(options.customers ?? this.initialCustomers, this.seed);
    this.faults.clear(this.seed);
    this.stats.clear();
    this.latencyMs = this.initialLatencyMs;
  }

  nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }
}

/** A latency in whole milliseconds, 0 (off) to 60,000; throws RangeError with the reason otherwise. */
export function parseLatency(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 60_000) {
    throw new RangeError('ms must be an integer from 0 (off) to 60000');
  }
  return value as number;
}
