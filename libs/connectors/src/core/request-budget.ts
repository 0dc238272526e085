/** A provider account's request rate: the steady requests per second, and how many may go at once. */
export interface RequestRate {
  perSecond: number;
  /** The bucket's size: requests that may go back to back after a quiet spell (at least 1). */
  burst: number;
}

/**
 * The engine's request budget for one provider account, shared by every worker process and every source
 * on that account (libs/sync keeps it in Postgres). A connector awaits `take()` before each request it
 * sends to the provider; it never reaches the budget's storage itself.
 */
export interface RequestBudget {
  take(): Promise<void>;
}
