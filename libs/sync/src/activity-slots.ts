/**
 * A process-wide cap on running provider activities (WORKER_MAX_CONCURRENT_ACTIVITIES), shared by every
 * per-source worker; each source's own cap is its worker's maxConcurrentActivityTaskExecutions.
 * Waiting activities keep heartbeating through their caller, so a long wait is not a timeout.
 */
export class ActivitySlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly capacity: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.capacity) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next(); // hand the slot over without releasing it
      } else {
        this.running -= 1;
      }
    }
  }
}
