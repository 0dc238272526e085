// Generated objects (subscriptions, invoices, charges). Only their rows, the fields lists filter on and the
// few a write may change, stay in memory, in list order; the full object is rendered from its row when
// served. So the billing of 50,000 customers costs a few megabytes, and a row renders to the same object
// every time.
import { compareNewestFirst, type Listed } from './list';

export class GeneratedList<Row extends Listed, T> {
  private readonly sorted: Row[];
  private positions: Map<string, number>;
  /** The index the next written row takes: generated rows are 0 … n-1, written ones follow. */
  private nextIndex: number;

  constructor(
    rows: readonly Row[],
    readonly render: (row: Row) => T,
  ) {
    this.sorted = [...rows].sort(compareNewestFirst);
    this.positions = new Map(this.sorted.map((row, index) => [row.id, index]));
    this.nextIndex = rows.length;
  }

  /** Reserves the index of a row about to be written (its id derives from it, so ids stay deterministic). */
  takeIndex(): number {
    return this.nextIndex++;
  }

  /** Adds a written row in its list place (written rows are new, so this is near the front). */
  insert(row: Row): T {
    let at = 0;
    while (at < this.sorted.length && compareNewestFirst(this.sorted[at], row) < 0) {
      at++;
    }
    this.sorted.splice(at, 0, row);
    this.reindex();
    return this.render(row);
  }

  /** Removes a row (a deleted draft invoice): it leaves lists, and GET no longer finds it. */
  remove(id: string): T | undefined {
    const position = this.positions.get(id);
    if (position === undefined) {
      return undefined;
    }
    const [row] = this.sorted.splice(position, 1);
    this.reindex();
    return this.render(row);
  }

  /** The stored row, for writes that need more than the rendered object. */
  row(id: string): Row | undefined {
    const position = this.positions.get(id);
    return position === undefined ? undefined : this.sorted[position];
  }

  /** Rows in list order (newest first). */
  list(): readonly Row[] {
    return this.sorted;
  }

  position(id: string): number | undefined {
    return this.positions.get(id);
  }

  retrieve(id: string): T | undefined {
    const position = this.positions.get(id);
    return position === undefined ? undefined : this.render(this.sorted[position]);
  }

  /** Replaces a row by `change(row)`, which must keep its id and created (so its place in the list). */
  update(id: string, change: (row: Row) => Row): { before: T; after: T } | undefined {
    const position = this.positions.get(id);
    if (position === undefined) {
      return undefined;
    }
    const before = this.render(this.sorted[position]);
    this.sorted[position] = change(this.sorted[position]);
    return { before, after: this.render(this.sorted[position]) };
  }

  private reindex(): void {
    this.positions = new Map(this.sorted.map((row, index) => [row.id, index]));
  }

  /** Every object, rendered, in list order. */
  all(): T[] {
    return this.sorted.map((row) => this.render(row));
  }
}
