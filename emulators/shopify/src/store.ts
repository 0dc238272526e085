// The shop's data: every record by resource and id, generated from a seed, changed by the control routes. Each
// change is reported (webhooks); listings sort once per sort key and reuse the order until the next write.
import { type Ids, makeCustomer, makeOrder, makeProduct, newIds, spreadTimes, type Times } from './generate';
import type { Random } from './random';
import { type AnyRecord, type RecordOf, type Resource, RESOURCES } from './records';

export type Counts = Record<Resource, number>;

export interface RecordChange {
  kind: 'create' | 'update' | 'delete';
  resource: Resource;
  record: AnyRecord;
}

export type SortKey = 'ID' | 'CREATED_AT' | 'UPDATED_AT';

export class ShopStore {
  readonly records: { [R in Resource]: Map<number, RecordOf[R]> } = {
    customers: new Map(),
    orders: new Map(),
    products: new Map(),
  };
  private readonly ids: Ids = newIds();
  /** How many of each were ever made: the generator's index, so later records differ from earlier ones. */
  private readonly made: Counts = { customers: 0, orders: 0, products: 0 };
  private version = 0;
  private readonly sorted = new Map<string, { version: number; records: AnyRecord[] }>();

  constructor(
    private readonly seed: number,
    counts: Counts,
    now: number,
    private readonly onChange: (change: RecordChange) => void = () => undefined,
  ) {
    const times = (rng: Random) => spreadTimes(rng, now);
    this.create('products', counts.products, times, true);
    this.create('customers', counts.customers, times, true);
    this.create('orders', counts.orders, times, true);
  }

  count(resource: Resource): number {
    return this.records[resource].size;
  }

  get<R extends Resource>(resource: R, id: number): RecordOf[R] | undefined {
    return this.records[resource].get(id);
  }

  /** Records ascending by the sort key, ties by id. */
  sortedBy(resource: Resource, key: SortKey): AnyRecord[] {
    const cacheKey = `${resource}:${key}`;
    const cached = this.sorted.get(cacheKey);
    if (cached?.version === this.version) {
      return cached.records;
    }
    const field = key === 'CREATED_AT' ? 'createdAt' : key === 'UPDATED_AT' ? 'updatedAt' : 'id';
    const records = [...(this.records[resource].values() as Iterable<AnyRecord>)].sort(
      (a, b) => a[field] - b[field] || a.id - b.id,
    );
    this.sorted.set(cacheKey, { version: this.version, records });
    return records;
  }

  /** Makes `count` records; `times` gives each its creation and modification times. */
  create(
    resource: Resource,
    count: number,
    times: Times | ((rng: Random) => Times),
    silent = false,
    writtenAt?: number,
  ): AnyRecord[] {
    const made: AnyRecord[] = [];
    const customers = [...this.records.customers.values()];
    const products = [...this.records.products.values()];
    for (let i = 0; i < count; i++) {
      const index = this.made[resource]++;
      const record =
        resource === 'customers'
          ? makeCustomer(this.seed, index, this.ids, times)
          : resource === 'products'
            ? makeProduct(this.seed, index, this.ids, times)
            : makeOrder(this.seed, index, this.ids, { number: 1001 + index, customers, products }, times);
      if (writtenAt !== undefined) {
        record.writtenAt = writtenAt;
      }
      (this.records[resource] as Map<number, AnyRecord>).set(record.id, record);
      made.push(record);
    }
    this.version++;
    if (!silent) {
      made.forEach((record) => this.onChange({ kind: 'create', resource, record }));
    }
    return made;
  }

  /** Applies `set` to each record and stamps it modified at `updatedAt`. */
  update(resource: Resource, ids: number[], set: Partial<AnyRecord>, updatedAt: number, writtenAt: number) {
    const changed = this.existing(resource, ids).map((record) => {
      Object.assign(record, set, { updatedAt, writtenAt });
      return record;
    });
    this.version++;
    changed.forEach((record) => this.onChange({ kind: 'update', resource, record }));
    return changed;
  }

  delete(resource: Resource, ids: number[]): AnyRecord[] {
    const gone = this.existing(resource, ids);
    gone.forEach((record) => this.records[resource].delete(record.id));
    this.version++;
    gone.forEach((record) => this.onChange({ kind: 'delete', resource, record }));
    return gone;
  }

  idList(resource: Resource): number[] {
    return this.sortedBy(resource, 'ID').map((record) => record.id);
  }

  counts(): Counts {
    return Object.fromEntries(RESOURCES.map((resource) => [resource, this.count(resource)])) as Counts;
  }

  private existing(resource: Resource, ids: number[]): AnyRecord[] {
    const missing = ids.filter((id) => !this.records[resource].has(id));
    if (missing.length > 0) {
      throw new RangeError(`no ${resource} with id ${missing.slice(0, 5).join(', ')}`);
    }
    return ids.map((id) => this.records[resource].get(id)!);
  }
}
