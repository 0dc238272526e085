/**
 * A provider account's request rate: the steady requests per second, and how many may go at once. Apps that
 * limit by cost (Shopify's query cost points) count points instead of requests: each request takes its cost.
 */
export interface RequestRate {
  perSecond: number;
  /** The bucket's size: requests (or points) that may go back to back after a quiet spell (at least 1). */
  burst: number;
}

/** Requests an app limits apart from the others (HubSpot's CRM search: a few per second per portal). */
export type RequestKind = 'search';

/**
 * A limit on the account's requests besides its request rate, with a bucket of its own: on every request
 * (a daily quota) or only on those of `kinds`.
 */
export interface AccountLimit {
  /** Names the bucket beside the account's (`<account>:<name>`). */
  name: string;
  rate: RequestRate;
  kinds?: readonly RequestKind[];
}

/**
 * The engine's request budget for one provider account, shared by every worker process and every source
 * on that account (libs/sync keeps it in Postgres). A connector awaits `take()` before each request it
 * sends to the provider, naming the request's kind where its app limits that kind apart, and its cost where
 * its app limits by cost (1 otherwise); it never reaches the budget's storage itself.
 */
export interface RequestBudget {
  take(kind?: RequestKind, cost?: number): Promise<void>;
  /**
   * After an answer, for apps whose provider requires a request's full cost up front but charges less
   * (Shopify's requested vs actual query cost): gives back what was taken and not charged, and follows the
   * provider's own count when it reports fewer points than the bucket holds. Optional: budgets that count
   * requests have nothing to settle.
   */
  settle?(kind: RequestKind | undefined, settlement: BudgetSettlement): Promise<void>;
}

/** What an answer told about a request's cost (points, in the bucket's unit). */
export interface BudgetSettlement {
  /** Taken before the request and not charged by the provider: back into the bucket, never above its size. */
  refund: number;
  /**
   * What the provider reports the account holds now: the bucket then holds no more (another client on the
   * account spends too), so no request goes that the provider's last report says it would refuse.
   */
  available?: number;
}
