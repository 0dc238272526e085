import type { RateRequest, SourceRateLimit } from './rate-gate';

/**
 * A lease is at most this long at the source's rate: the tokens a process holds unused when its traffic
 * stops are lost to the other processes (the bucket refills them in this time).
 */
export const LEASE_SECONDS = 0.1;
/** …and at most this share of the burst, so a small bucket is never parked in one process. */
export const LEASE_BURST_SHARE = 0.01;

/** The tokens a take asks for beyond its requests (0: no lease, every request is taken from the bucket). */
export function leaseSize(limit: SourceRateLimit): number {
  return Math.floor(Math.min(limit.eventsPerSecond * LEASE_SECONDS, limit.burst * LEASE_BURST_SHARE));
}

/**
 * Tokens this process took from a source's shared bucket (take_rate_tokens) ahead of need, so that most
 * groups admit their requests without touching the bucket row: updating that one hot row costs more than
 * storing a small group's events (measured: a group commit without the take ran about twice as many groups
 * per second). Nothing is admitted twice: a token is spent once from the bucket, then once from here. What
 * a process holds when its traffic stops is at most one lease (leaseSize), which the limit then lacks
 * until the bucket refills it. Process-local; a commit that fails gives its requests' tokens back.
 */
export class TokenLeases {
  private readonly held = new Map<string, number>();

  /**
   * Splits a source's requests (in order): the oldest ones this process's lease pays for, and the rest,
   * which the bucket must judge (a request the lease cannot pay stops local admission, so none overtakes it).
   */
  admit(requests: RateRequest[]): { local: RateRequest[]; remote: RateRequest[] } {
    if (requests.length === 0) {
      return { local: [], remote: [] };
    }
    const sourceId = requests[0].sourceId;
    let tokens = this.held.get(sourceId) ?? 0;
    let k = 0;
    while (k < requests.length && cost(requests[k]) <= tokens) {
      tokens -= cost(requests[k]);
      k++;
    }
    this.set(sourceId, tokens);
    return { local: requests.slice(0, k), remote: requests.slice(k) };
  }

  /** Keeps what a take granted beyond the requests it admitted. */
  keep(sourceId: string, tokens: number): void {
    if (tokens > 0) {
      this.set(sourceId, (this.held.get(sourceId) ?? 0) + tokens);
    }
  }

  /** Gives back what locally admitted requests cost, when their commit failed (they stored nothing). */
  refund(requests: RateRequest[]): void {
    for (const r of requests) {
      this.keep(r.sourceId, cost(r));
    }
  }

  /** Tokens held for a source (tests). */
  heldFor(sourceId: string): number {
    return this.held.get(sourceId) ?? 0;
  }

  private set(sourceId: string, tokens: number): void {
    if (tokens > 0) {
      this.held.set(sourceId, tokens);
    } else {
      this.held.delete(sourceId);
    }
  }
}

/** What a request costs, as take_rate_tokens counts it (rateTake): its events, capped at the burst. */
export function cost(request: RateRequest): number {
  return Math.min(request.size, request.limit.burst);
}
