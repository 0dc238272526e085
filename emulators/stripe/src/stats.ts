// Counts of API responses by route and status, so tests can assert how many calls a sync made (and that
// a 429 was not retried). Control calls under /_emulator are not counted.

export interface StatsSnapshot {
  total: number;
  /** `"GET /v1/customers"` → `{ "200": 3, "429": 1 }`; unrouted paths are counted under their raw path. */
  byRoute: Record<string, Record<string, number>>;
}

export class RequestStats {
  private total = 0;
  private readonly byRoute = new Map<string, Map<number, number>>();

  record(method: string, route: string, status: number): void {
    this.total++;
    const key = `${method} ${route}`;
    const statuses = this.byRoute.get(key) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.byRoute.set(key, statuses);
  }

  snapshot(): StatsSnapshot {
    const byRoute: StatsSnapshot['byRoute'] = {};
    for (const [route, statuses] of this.byRoute) {
      byRoute[route] = Object.fromEntries([...statuses].map(([status, count]) => [String(status), count]));
    }
    return { total: this.total, byRoute };
  }

  clear(): void {
    this.total = 0;
    this.byRoute.clear();
  }
}
