// Everything one emulated HubSpot portal holds: the records of each type and their associations, tokens, the clock,
// throttling, faults, latency, the search index lag and webhook delivery. `reset` regenerates the data from a seed.
import { AssociationStore } from './associations';
import { DEFAULT_TOKENS, type Tokens } from './auth';
import { EmulatorClock } from '../../shared/clock';
import { FaultQueue } from './faults';
import { OBJECT_TYPES, type ObjectType } from './object-types';
import { stableFraction, stableInt } from './random';
import { RecordStore } from './records';
import { HUBSPOT_LIMITS, NO_LIMITS, Throttle, type ThrottleLimits } from './throttle';
import { DEFAULT_WEBHOOKS, type WebhookConfig, WebhookSender } from './webhooks';

export const DEFAULT_SEED = 1;
export const DEFAULT_COUNTS: Record<ObjectType, number> = { contacts: 300, companies: 100, deals: 150 };
export const DEFAULT_PORTAL_ID = 24_681_357;

export interface DataOptions {
  seed?: number;
  contacts?: number;
  companies?: number;
  deals?: number;
}

export interface StateOptions extends DataOptions {
  tokens?: Tokens;
  /** The clock's source (default Date.now); tests pass a fixed time so generated stamps are exact. */
  clock?: () => number;
  portalId?: number;
  /** HubSpot's limits (default: a Professional private app's), or false for none. */
  limits?: Partial<ThrottleLimits> | false;
  /** Records written within this many ms (emulator clock) are invisible to search (default 0). */
  searchLagMs?: number;
  /** Every API response waits this long first (default 0). */
  latencyMs?: number;
  webhooks?: Partial<WebhookConfig>;
  /** Longer request URLs get 414 (default 16,000 characters), so clients must chunk long property lists. */
  maxUrlLength?: number;
}

const YEAR_MS = 365 * 86_400_000;
/** Share of generated records that start archived, so `archived=true` has something to list. */
const ARCHIVED_SHARE = 0.02;

export class HubSpotState {
  readonly clock: EmulatorClock;
  readonly tokens: Tokens;
  readonly portalId: number;
  readonly throttle: Throttle;
  readonly faults: FaultQueue;
  readonly webhooks: WebhookSender;
  readonly maxUrlLength: number;
  searchLagMs: number;
  latencyMs: number;
  seed: number;
  stores: Record<ObjectType, RecordStore>;
  associations: AssociationStore;

  constructor(options: StateOptions = {}) {
    this.clock = new EmulatorClock(options.clock);
    this.tokens = options.tokens ?? DEFAULT_TOKENS;
    this.portalId = options.portalId ?? DEFAULT_PORTAL_ID;
    const limits = options.limits === false ? NO_LIMITS : { ...HUBSPOT_LIMITS, ...options.limits };
    this.throttle = new Throttle(limits, `publicapi:private-app:${this.portalId}`);
    this.seed = options.seed ?? DEFAULT_SEED;
    this.faults = new FaultQueue(this.seed);
    this.webhooks = new WebhookSender({ ...DEFAULT_WEBHOOKS, ...options.webhooks }, this.portalId, () =>
      this.clock.nowMs(),
    );
    this.maxUrlLength = options.maxUrlLength ?? 16_000;
    this.searchLagMs = options.searchLagMs ?? 0;
    this.latencyMs = options.latencyMs ?? 0;
    [this.stores, this.associations] = this.generate(options);
  }

  /** New data from the seed and counts (defaults for those not given); faults, throttling windows and webhook attempts cleared. */
  reset(options: DataOptions = {}): void {
    this.seed = options.seed ?? DEFAULT_SEED;
    this.faults.clear(this.seed);
    this.throttle.clear();
    this.webhooks.attempts.length = 0;
    [this.stores, this.associations] = this.generate(options);
  }

  counts(): Record<ObjectType, { live: number; archived: number }> {
    const count = (type: ObjectType) => ({
      live: this.stores[type].idList(false).length,
      archived: this.stores[type].idList(true).length,
    });
    return { contacts: count('contacts'), companies: count('companies'), deals: count('deals') };
  }

  /**
   * Records spread over the year before now, each modified some time after its creation; a few archived; each
   * contact (mostly) at one primary company, each deal at one primary company with one to three contacts.
   */
  private generate(options: DataOptions): [Record<ObjectType, RecordStore>, AssociationStore] {
    const seed = options.seed ?? DEFAULT_SEED;
    const now = this.clock.nowMs();
    const stores = Object.fromEntries(
      OBJECT_TYPES.map((type) => [
        type,
        new RecordStore(
          type,
          seed,
          () => this.clock.nowMs(),
          (change) => this.webhooks.record(change),
        ),
      ]),
    ) as Record<ObjectType, RecordStore>;
    for (const type of OBJECT_TYPES) {
      const count = options[type] ?? DEFAULT_COUNTS[type];
      const created = stores[type].create(
        count,
        (i) => {
          const createdAt = now - YEAR_MS + Math.floor((i * YEAR_MS) / Math.max(count, 1));
          const updatedAt = Math.min(now - 60_000, createdAt + stableInt(30 * 86_400_000, seed, type, 'modified', i));
          return { createdAt, updatedAt: Math.max(createdAt, updatedAt) };
        },
        true,
      );
      const doomed = created.filter((record) => stableFraction(seed, type, 'archived', record.id) < ARCHIVED_SHARE);
      doomed.forEach((record) => stores[type].archive([record.id], record.updatedAt, true));
    }
    const associations = new AssociationStore();
    const companies = stores.companies.idList();
    const contacts = stores.contacts.idList();
    if (companies.length > 0) {
      for (const contact of contacts) {
        if (stableFraction(seed, 'contact-company', contact) < 0.85) {
          associations.add(
            'contacts',
            contact,
            'companies',
            companies[stableInt(companies.length, seed, 'cc', contact)],
            true,
          );
        }
      }
    }
    for (const deal of stores.deals.idList()) {
      if (companies.length > 0) {
        associations.add('deals', deal, 'companies', companies[stableInt(companies.length, seed, 'dc', deal)], true);
      }
      for (let n = 0; contacts.length > 0 && n <= stableInt(3, seed, 'deal-contacts', deal); n++) {
        associations.add('deals', deal, 'contacts', contacts[stableInt(contacts.length, seed, 'dk', deal, n)]);
      }
    }
    return [stores, associations];
  }
}
