// The emulators' injected faults for the next N API responses, first in first out. A fault with a `rate` hits
// only that share of the requests it applies to, drawn from the emulator's seeded PRNG (`fraction`), so the
// same requests in the same order meet the same faults on every run; what a fault does is each emulator's own.

/** What the queue itself reads of a fault; each emulator's spec adds what its fault answers. */
export interface QueuedFault {
  /** How many responses it applies to (with `rate`: how many it hits). */
  count: number;
  /** 0 < rate ≤ 1: the share of requests hit; rate faults a request meets share one draw (their rates add up). */
  rate?: number;
  /** Only requests to this path consume it; default: any API request. */
  path?: string;
}

export class FaultQueue<Spec extends QueuedFault> {
  private readonly queue: Spec[] = [];
  /** Draws made since the last clear: the n-th draw is a function of (seed, n) only. */
  private draws = 0;

  /** `fraction(seed, n)`: the n-th uniform number in [0, 1) of the emulator's PRNG. */
  constructor(
    private seed: number,
    private readonly fraction: (seed: number, n: number) => number,
  ) {}

  add(spec: Spec): void {
    this.queue.push({ ...spec });
  }

  /**
   * Consumes one response's worth of the fault that hits a request to `path`, if any: the oldest that
   * applies, unless it has a rate; then one draw decides among the rate faults up to the first without one.
   */
  take(path?: string): Omit<Spec, 'count'> | undefined {
    let draw: number | undefined;
    let band = 0;
    const at = this.queue.findIndex((spec) => {
      if (spec.path !== undefined && spec.path !== path) {
        return false;
      }
      if (spec.rate === undefined) {
        return true;
      }
      draw ??= this.fraction(this.seed, this.draws++);
      band += spec.rate;
      return draw < band;
    });
    if (at === -1) {
      return undefined;
    }
    const head = this.queue[at];
    head.count--;
    if (head.count <= 0) {
      this.queue.splice(at, 1);
    }
    const { count: _count, ...fault } = head;
    return fault;
  }

  pending(): Spec[] {
    return this.queue.map((spec) => ({ ...spec }));
  }

  /** No faults, and the draws start over (the same faults then hit the same requests again). */
  clear(seed = this.seed): void {
    this.queue.length = 0;
    this.draws = 0;
    this.seed = seed;
  }
}
