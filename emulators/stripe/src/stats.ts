// Counts of API responses by route and status, so tests can assert how many calls a sync made (and that
// a 429 was not retried), and requests per account as they arrive, so tests can assert a request budget
// (Stripe limits requests per account per second). Control calls under /_emulator are not counted.

export interface AccountStats {
  total: number;
  /** Most requests that arrived within any one second (a sliding window, in milliseconds). */
  peakPerSecond: number;
}

export interface StatsSnapshot {
  total: number;
  /** `"GET /v1/customers"` → `{ "200": 3, "429": 1 }`; unrouted paths are counted under their raw path. */
  byRoute: Record<string, Record<string, number>>;
  /** Requests whose key names an account (see accounts.ts), by account. */
  byAccount: Record<string, AccountStats>;
}

export class RequestStats {
  private total = 0;
  private readonly byRoute = new Map<string, Map<number, number>>();
  private readonly arrivals = new Map<string, number[]>();

  record(method: string, route: string, status: number): void {
    this.total++;
    const key = `${method} ${route}`;
    const statuses = this.byRoute.get(key) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.byRoute.set(key, statuses);
  }

  /** One request of `account` arrived at `atMs` (the clock only moves forward). */
  arrived(account: string, atMs: number): void {
    const times = this.arrivals.get(account) ?? [];
    times.push(atMs);
    this.arrivals.set(account, times);
  }

  snapshot(): StatsSnapshot {
    const byRoute: StatsSnapshot['byRoute'] = {};
    for (const [route, statuses] of this.byRoute) {
      byRoute[route] = Object.fromEntries([...statuses].map(([status, count]) => [String(status), count]));
    }
    const byAccount: StatsSnapshot['byAccount'] = {};
    for (const [account, times] of this.arrivals) {
      byAccount[account] = { total: times.length, peakPerSecond: peakWithin(times, 1000) };
    }
    return { total: this.total, byRoute, byAccount };
  }

  clear(): void {
    this.total = 0;
    this.byRoute.clear();
    this.arrivals.clear();
  }
}

/** The most times (ascending) that fall within any half-open window [t, t + windowMs). */
export function peakWithin(times: readonly number[], windowMs: number): number {
  let peak = 0;
  for (let start = 0, end = 0; start < times.length; start++) {
    while (end < times.length && times[end] < times[start] + windowMs) {
      end++;
    }
    peak = Math.max(peak, end - start);
  }
  return peak;
}
