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
 * With `maxInFlight` 2, a second group may commit while the first is still running (what arrives then goes
 * at once instead of waiting): the process parses the next requests while Postgres writes the last ones.
 * Each commit must then be safe next to another (ingest's are: as two processes' are), and groups may
 * finish out of order.
 */
export class GroupCommit<I, O> {
  private pending: Waiter<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly commit: (items: I[]) => Promise<O[]>,
    private readonly maxItems: number,
    private readonly maxInFlight = 1,
  ) {}

  submit(items: I[]): Promise<O[]> {
    if (items.length === 0) {
      return Promise.resolve([]);
    }
    return new Promise<O[]>((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      if (this.inFlight < this.maxInFlight) {
        this.schedule();
      }
    });
  }

  /** Submissions waiting for the next commit (for tests and metrics). */
  get waiting(): number {
    return this.pending.length;
  }

  private start(): void {
    this.scheduled = false;
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      this.inFlight++;
      void this.run(this.takeGroup());
    }
  }

  private async run(group: Waiter<I, O>[]): Promise<void> {
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
    this.inFlight--;
    // Whatever arrived during this commit goes next.
    this.schedule();
  }

  /**
   * Starts the next group once the event loop has read what is waiting (setImmediate runs after the poll
   * phase): every request that arrived with this one joins it, instead of a group per request whose first
   * commit leaves before its neighbours are parsed. No timer: nothing waits for more to arrive.
   */
  private schedule(): void {
    if (!this.scheduled && this.pending.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.start());
    }
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
