// In-memory customers with Stripe's list order: newest `created` first, ties broken by id (descending).
// Deleted customers leave the list but stay retrievable as `{ id, object, deleted: true }`. Every change after
// generation, through the API or the control endpoints, appends its event (customer.created|updated|deleted).
import { type EventOrigin, NO_REQUEST } from '../events/event';
import type { EventLog } from '../events/log';
import { previousAttributes } from '../events/previous';
import { compareNewestFirst } from '../list';
import { type Customer, type DeletedCustomer, shapeCustomer } from './customer';
import { type CustomerInput, generateCustomer, generatedCreated, newCustomer } from './generate';

/** Which customers a control call acts on: explicit ids, or `count` spread evenly over the list. */
export type Selector = { ids: string[] } | { count: number };

/**
 * A control change with `silent: true` appends no event (nor, for a delete, cancels the customer's
 * subscriptions): a change the events log never reports, which only a full listing finds (drift).
 */
export interface ControlOptions {
  silent?: boolean;
}

/** Fields a test may set through `POST /_emulator/customers/update`; `created` and `id` never change. */
export type CustomerPatch = Partial<Omit<Customer, 'id' | 'object' | 'created'>>;

export class CustomerStore {
  private readonly live = new Map<string, Customer>();
  private readonly deleted = new Set<string>();
  private readonly revisions = new Map<string, number>();
  private sorted: Customer[] | undefined;
  private positions = new Map<string, number>();
  private nextIndex = 0;

  constructor(
    private seed: number,
    private readonly nowSeconds: () => number,
    private readonly events?: Pick<EventLog, 'append'>,
    /** Told of a deletion before its customer.deleted event (Stripe cancels the customer's subscriptions first). */
    private readonly deleting: (id: string, request: EventOrigin) => void = () => {},
  ) {}

  /** Forgets everything and generates `count` customers of `seed`, spread from 2024-01-01 on. */
  reset(count: number, seed: number = this.seed): void {
    this.seed = seed;
    this.live.clear();
    this.deleted.clear();
    this.revisions.clear();
    // Dropped here too: with count 0 no insert would drop it, and lists would keep the old customers.
    this.sorted = undefined;
    this.nextIndex = 0;
    for (let i = 0; i < count; i++) {
      this.insert(generateCustomer(seed, this.nextIndex, generatedCreated(seed, this.nextIndex)));
    }
  }

  /** Adds `count` customers created at `created` (default: the clock's now); equal timestamps tie on id. */
  add(count: number, created: number = this.nowSeconds()): Customer[] {
    return Array.from({ length: count }, () =>
      this.created(this.insert(generateCustomer(this.seed, this.nextIndex, created)), NO_REQUEST),
    );
  }

  /** `POST /v1/customers`: a customer with Stripe's defaults, created now. */
  create(input: CustomerInput, request: EventOrigin): Customer {
    return this.created(this.insert(newCustomer(this.seed, this.nextIndex, this.nowSeconds(), input)), request);
  }

  /** `POST /v1/customers/:id`: `change` turns the live customer into its new version (id and created kept). */
  edit(id: string, change: (customer: Customer) => Partial<Customer>, request: EventOrigin): Customer | undefined {
    const customer = this.live.get(id);
    return customer && this.replace(customer, change(customer), request);
  }

  /** `DELETE /v1/customers/:id`: false when there is no live customer of that id. */
  remove(id: string, request: EventOrigin): boolean {
    const customer = this.live.get(id);
    if (customer) {
      this.drop(customer, request);
    }
    return customer !== undefined;
  }

  /** Changes the selected customers as a dashboard edit would: new revision in metadata, new description. */
  update(selector: Selector, patch: CustomerPatch = {}, { silent = false }: ControlOptions = {}): Customer[] {
    return this.select(selector).map((customer) => {
      const revision = (this.revisions.get(customer.id) ?? 0) + 1;
      this.revisions.set(customer.id, revision);
      const change = {
        description: `Updated by the emulator (revision ${revision})`,
        metadata: { ...customer.metadata, tributary_revision: String(revision) },
        ...patch,
      };
      return this.replace(customer, change, NO_REQUEST, silent);
    });
  }

  /** Deletes the selected customers; returns their ids. */
  delete(selector: Selector, { silent = false }: ControlOptions = {}): string[] {
    return this.select(selector).map((customer) => this.drop(customer, NO_REQUEST, silent));
  }

  /** Live customers in list order (newest first). The array is shared: callers must not change it. */
  list(): readonly Customer[] {
    if (!this.sorted) {
      this.sorted = [...this.live.values()].sort(compareNewestFirst);
      this.positions = new Map(this.sorted.map((customer, index) => [customer.id, index]));
    }
    return this.sorted;
  }

  /** Position of a live customer in `list()`, or undefined when unknown or deleted. */
  position(id: string): number | undefined {
    this.list();
    return this.positions.get(id);
  }

  /** Customers are stored whole; other objects are rendered from their list rows (see generated-list.ts). */
  render(customer: Customer): Customer {
    return customer;
  }

  retrieve(id: string): Customer | DeletedCustomer | undefined {
    if (this.deleted.has(id)) {
      return { id, object: 'customer', deleted: true };
    }
    return this.live.get(id);
  }

  deletedIds(): string[] {
    return [...this.deleted];
  }

  private created(customer: Customer, request: EventOrigin): Customer {
    this.events?.append({ type: 'customer.created', object: customer, request });
    return customer;
  }

  /** Stores the changed customer; the event is skipped when nothing changed, as Stripe skips it. */
  private replace(customer: Customer, change: Partial<Customer>, request: EventOrigin, silent = false): Customer {
    const updated = shapeCustomer({ ...customer, ...change, id: customer.id, created: customer.created });
    this.live.set(customer.id, updated);
    this.sorted = undefined;
    const previous = previousAttributes(customer, updated);
    if (previous && !silent) {
      this.events?.append({ type: 'customer.updated', object: updated, previous, request });
    }
    return updated;
  }

  /** The customer.deleted event carries the whole customer as it was, not the deleted stub. */
  private drop(customer: Customer, request: EventOrigin, silent = false): string {
    if (!silent) {
      this.deleting(customer.id, request);
    }
    this.live.delete(customer.id);
    this.deleted.add(customer.id);
    this.sorted = undefined;
    if (!silent) {
      this.events?.append({ type: 'customer.deleted', object: customer, request });
    }
    return customer.id;
  }

  private insert(customer: Customer): Customer {
    this.nextIndex++;
    this.live.set(customer.id, customer);
    this.sorted = undefined;
    return customer;
  }

  private select(selector: Selector): Customer[] {
    if ('ids' in selector) {
      const unknown = selector.ids.filter((id) => !this.live.has(id));
      if (unknown.length > 0) {
        throw new RangeError(`no live customer with id ${unknown.join(', ')}`);
      }
      return selector.ids.map((id) => this.live.get(id) as Customer);
    }
    const all = this.list();
    const count = Math.min(selector.count, all.length);
    // Evenly spread, so both old and recent customers change (old ones are what re-list syncs miss).
    return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
  }
}
