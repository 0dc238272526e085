// Every write appends an event. Events are listed as Stripe lists them (newest first) and kept for 30 days of
// the emulator's clock: older ones are dropped for good, from lists and from GET, even if the clock goes back.
import { stableId } from '../ids';
import { type EventInput, makeEvent, type StripeEvent } from './event';

export const EVENT_RETENTION_SECONDS = 30 * 86_400;

interface Entry {
  event: StripeEvent;
  /** Append order: breaks ties between events of the same second, so the newer write lists first. */
  sequence: number;
  id: string;
  created: number;
}

export class EventLog {
  private entries: Entry[] = [];
  private sorted: Entry[] | undefined;
  private positions = new Map<string, number>();
  private sequence = 0;

  constructor(
    private seed: number,
    private readonly nowSeconds: () => number,
    /** Told of each event as it is appended, with the account it came from (webhook delivery). */
    private readonly appended: (event: StripeEvent, account: string | undefined) => void = () => {},
  ) {}

  /** Forgets every event; ids start over from the seed. */
  reset(seed: number): void {
    this.seed = seed;
    this.entries = [];
    this.sorted = undefined;
    this.sequence = 0;
  }

  /** Appends an event created now; `id` is derived from the seed and the append order. */
  append(input: Omit<EventInput, 'id' | 'created'>): StripeEvent {
    const sequence = this.sequence++;
    const event = makeEvent({
      ...input,
      id: stableId('evt_', 24, this.seed, 'event', sequence),
      created: this.nowSeconds(),
    });
    this.entries.push({ event, sequence, id: event.id, created: event.created });
    this.sorted = undefined;
    this.appended(event, input.request?.account);
    return event;
  }

  /** Retained events in list order (newest first). */
  list(): readonly Entry[] {
    this.expire();
    if (!this.sorted) {
      this.sorted = [...this.entries].sort((a, b) => b.created - a.created || b.sequence - a.sequence);
      this.positions = new Map(this.sorted.map((entry, index) => [entry.id, index]));
    }
    return this.sorted;
  }

  position(id: string): number | undefined {
    this.list();
    return this.positions.get(id);
  }

  render(entry: Entry): StripeEvent {
    return entry.event;
  }

  retrieve(id: string): StripeEvent | undefined {
    const position = this.position(id);
    return position === undefined ? undefined : this.sorted?.[position].event;
  }

  private expire(): void {
    const horizon = this.nowSeconds() - EVENT_RETENTION_SECONDS;
    if (this.entries.some((entry) => entry.created < horizon)) {
      this.entries = this.entries.filter((entry) => entry.created >= horizon);
      this.sorted = undefined;
    }
  }
}
