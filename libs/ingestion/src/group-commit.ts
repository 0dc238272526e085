interface Waiter<I, O> {
  items: I[];
  resolve: (results: O[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit without a timer. Callers submit items and wait; while a commit is running, new submissions
 * join the group being prepared, and that group is committed as soon as the running commit returns. So a
 * lone request waits for one commit, and under load each commit carries everything that arrived during the
 * previous one (at most `maxItems`, whole submissions only). `commit` gets the items in submission order
 * and returns one result per item; a failed commit fails every submission of its group, and only those.
 */
export class GroupCommit<I, O> {
  private pending: Waiter<I, O>[] = [];
  private running = false;

  constructor(
    private readonly commit: (items: I[]) => Promise<O[]>,
    private readonly maxItems: number,
  ) {}

  submit(items: I[]): Promise<O[]> {
    if (items.length === 0) {
      return Promise.resolve([]);
    }
    return new Promise<O[]>((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let submissions of the same tick join the first group.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  /** Submissions waiting for the next commit (for tests and metrics). */
  get waiting(): number {
    return this.pending.length;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.takeGroup();
      const items = group.flatMap((w) => w.items);
      try {
        const results = await this.commit(items);
        let offset = 0;
        for (const waiter of group) {
          waiter.resolve(results.slice(offset, offset + waiter.items.length));
          offset += waiter.items.length;
        }
      } catch (error) {
        group.forEach((waiter) => waiter.reject(error));
      }
    }
    this.running = false;
  }

  /** The oldest submissions up to maxItems (always at least one, whatever its size). */
  private takeGroup(): Waiter<I, O>[] {
    let count = 0;
    let taken = 0;
    while (taken < this.pending.length && (taken === 0 || count + this.pending[taken].items.length <= this.maxItems)) {
      count += this.pending[taken].items.length;
      taken++;
    }
    return this.pending.splice(0, taken);
  }
}
