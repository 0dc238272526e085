import {
  type AccountLimit,
  type BudgetSettlement,
  type ChangeLog,
  type CloudCredentials,
  type Connector,
  type ConnectorSettings,
  ProviderError,
  type RequestKind,
  type RequestRate,
  type WindowedListing,
  accountLookup,
  createConnector,
} from '@app/connectors';
import { Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { ConcurrencyLeases } from './concurrency-leases.service';
import { RequestBudgets } from './request-budgets.service';
import { SourceAccounts } from './source-accounts.service';

// Stripe's limits are per second and its 429 carries no hint: without one, the account pauses a second.
const DEFAULT_HOLD_MS = 1000;
// A long wait for the budget heartbeats this often, so the activity's heartbeat timeout never fires.
const HEARTBEAT_EVERY_MS = 5000;

/** How a caller waits for its turn: inside an activity, heartbeating and cancellable (activityWaiter). */
export type Waiter = (ms: number) => Promise<void>;

interface Account {
  key: string;
  rate: RequestRate;
  /** The account's further limits (AccountLookup.limits), when it has any. */
  limits?: readonly AccountLimit[];
  /** Long-running jobs the account runs at once (AccountLookup.jobSlots), when its app limits them. */
  jobSlots?: number;
}

/**
 * The upstream rate budget: one token bucket per provider account (RequestBudgets), consulted before each
 * request a connector sends, and drained for everyone on the account when the provider throttles one; and the
 * account's job slots (ConcurrencyLeases, scoped by the account key) where its app limits concurrent jobs.
 */
@Injectable()
export class UpstreamBudget {
  constructor(
    private readonly budgets: RequestBudgets,
    private readonly accounts: SourceAccounts,
    private readonly leases: ConcurrencyLeases,
  ) {}

  /** The source's connector, bound to its account's budget (and job slots). */
  async connector(
    sourceId: string,
    credentials: CloudCredentials,
    settings: ConnectorSettings,
    wait: Waiter = activityWaiter(),
    signal?: AbortSignal,
  ): Promise<Connector> {
    const account = await this.accountOf(sourceId, credentials, settings, wait, signal);
    const take = async (kind?: RequestKind, cost?: number): Promise<void> =>
      wait(await this.budgets.reserveAll(bucketsOf(account, kind), cost));
    const settle = (kind: RequestKind | undefined, settlement: BudgetSettlement): Promise<void> =>
      this.budgets.settle(bucketsOf(account, kind), settlement);
    const slots = account.jobSlots ? this.leases.slots(account.key, account.jobSlots) : undefined;
    return this.penalising(createConnector(credentials, settings, { take, settle }, slots), account);
  }

  /**
   * The account key (cached per source and credentials; looked up with one call otherwise) and its rate.
   * The lookup cannot take from a budget it does not know yet: it is charged to the account right after.
   */
  async accountOf(
    sourceId: string,
    credentials: CloudCredentials,
    settings: ConnectorSettings,
    wait: Waiter,
    signal?: AbortSignal,
  ): Promise<Account> {
    const { app, account } = accountLookup(credentials);
    const rate = account.rate(credentials, settings);
    const limits = account.limits?.(credentials, settings) ?? [];
    const jobSlots = account.jobSlots?.(credentials, settings);
    const extra = { ...(limits.length > 0 ? { limits } : {}), ...(jobSlots ? { jobSlots } : {}) };
    const cached = await this.accounts.cached(sourceId);
    if (cached.account) {
      return { key: cached.account, rate, ...extra };
    }
    // The lookup is a request too: a cancelled activity aborts it (signal) instead of waiting for it.
    const key = (await account.key(credentials, settings, signal)) ?? `${app}:source:${sourceId}`;
    await this.accounts.remember(sourceId, cached.digest, key);
    const found: Account = { key, rate, ...extra };
    await wait(await this.budgets.reserveAll(bucketsOf(found)));
    return found;
  }

  /** A 429 drains the account's bucket for every source on it, for the provider's hint or a second. */
  private penalising(connector: Connector, account: Account): Connector {
    const guard = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        if (error instanceof ProviderError && error.kind === 'rate_limited') {
          await this.budgets.throttled(account.key, account.rate, error.retryAfterMs ?? DEFAULT_HOLD_MS);
        }
        throw error;
      }
    };
    return {
      kind: connector.kind,
      listObjects: () => connector.listObjects(),
      checkConnection: (signal) => guard(() => connector.checkConnection(signal)),
      readPage: (object, cursor, signal, runId) => guard(() => connector.readPage(object, cursor, signal, runId)),
      ...(connector.windows ? { windows: penalisingWindows(connector.windows, guard) } : {}),
      ...(connector.changes ? { changes: guardedChangeLog(connector.changes, guard) } : {}),
    };
  }
}

/**
 * The buckets a request of `kind` takes from: the account's own, then each further limit that applies to it
 * (`<account>:<limit>`), always in this order.
 */
export function bucketsOf(account: Account, kind?: RequestKind): { account: string; rate: RequestRate }[] {
  const applying = (account.limits ?? []).filter((limit) => !limit.kinds || (kind && limit.kinds.includes(kind)));
  return [
    { account: account.key, rate: account.rate },
    ...applying.map((limit) => ({ account: `${account.key}:${limit.name}`, rate: limit.rate })),
  ];
}

function penalisingWindows(
  windows: WindowedListing,
  guard: <T>(call: () => Promise<T>) => Promise<T>,
): WindowedListing {
  return {
    createdRange: (object, signal) => guard(() => windows.createdRange(object, signal)),
    readWindowPage: (object, window, cursor, signal) =>
      guard(() => windows.readWindowPage(object, window, cursor, signal)),
  };
}

/** Waits inside an activity: heartbeats while it waits, and a cancelled activity stops waiting at once. */
export function activityWaiter(): Waiter {
  const context = Context.current();
  return async (ms) => {
    for (let left = ms; left > 0; left -= HEARTBEAT_EVERY_MS) {
      context.heartbeat();
      await context.sleep(Math.min(left, HEARTBEAT_EVERY_MS));
    }
  };
}

function guardedChangeLog(log: ChangeLog, guard: <T>(call: () => Promise<T>) => Promise<T>): ChangeLog {
  const covers = log.covers?.bind(log);
  return {
    ...(covers ? { covers } : {}),
    head: (signal) => guard(() => log.head(signal)),
    gap: (position, signal) => guard(() => log.gap(position, signal)),
    readChanges: (object, position, cursor, signal) => guard(() => log.readChanges(object, position, cursor, signal)),
    readChange: (id, signal) => guard(() => log.readChange(id, signal)),
  };
}
