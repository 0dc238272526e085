// One object type's records: numeric ids that only grow (with gaps, and of different lengths, so a client comparing
// ids as strings goes wrong as Airbyte's #79666 did), a creation and a modification time each, archived records
// kept apart from live ones as HubSpot keeps them. Every change is reported to a listener (webhooks, search lag).
import { DEFAULT_PROPERTIES, modifiedProperty, type ObjectType } from './object-types';
import { isCoreProperty, propertyDefinition, propertyDefinitions } from './properties';
import { stableInt } from './random';
import { coreValues, derivedValue } from './values';

export interface CrmRecord {
  id: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** When it was last written, on the emulator clock: search sees it only once the index lag has passed. */
  writtenAt: number;
  /** Core values and every value set since; generated properties not in here derive from the id (values.ts). */
  values: Record<string, string | null>;
}

export type RecordChange =
  | { kind: 'creation'; type: ObjectType; record: CrmRecord }
  | { kind: 'propertyChange'; type: ObjectType; record: CrmRecord; propertyName: string; propertyValue: string }
  | { kind: 'deletion'; type: ObjectType; record: CrmRecord };

/** The first id of each type: different starts, so the types' ids do not coincide record for record. */
const FIRST_ID: Record<ObjectType, number> = { contacts: 1, companies: 9_001, deals: 4_001 };
/** Ids grow by 1 to MAX_GAP: a few hundred records cross three digit-length boundaries, 50,000 reach 7 digits. */
const MAX_GAP = 60;

export class RecordStore {
  private readonly byId = new Map<number, CrmRecord>();
  /** Every id ever created, ascending (new ids are always larger, so pushing keeps the order). */
  private readonly ids: number[] = [];
  private nextId: number;

  constructor(
    readonly type: ObjectType,
    private readonly seed: number,
    private readonly now: () => number,
    private readonly onChange: (change: RecordChange) => void = () => undefined,
  ) {
    this.nextId = FIRST_ID[type];
  }

  get size(): number {
    return this.ids.length;
  }

  /** Creates `count` records, the i-th created and last modified at the times `times(i)` gives. */
  create(count: number, times: (i: number) => { createdAt: number; updatedAt: number }, silent = false): CrmRecord[] {
    const created: CrmRecord[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.nextId;
      this.nextId += 1 + stableInt(MAX_GAP, this.seed, this.type, 'gap', id);
      const { createdAt, updatedAt } = times(i);
      const values = coreValues(this.type, this.seed, id, createdAt);
      const record: CrmRecord = { id, createdAt, updatedAt, archived: false, writtenAt: this.now(), values };
      this.byId.set(id, record);
      this.ids.push(id);
      created.push(record);
      if (!silent) {
        this.onChange({ kind: 'creation', type: this.type, record });
      }
    }
    return created;
  }

  get(id: number): CrmRecord | undefined {
    return this.byId.get(id);
  }

  /** Sets `values` on each live record of `ids` and stamps it modified at `atMs`; returns the records changed. */
  update(ids: number[], values: Record<string, string>, atMs: number): CrmRecord[] {
    const changed: CrmRecord[] = [];
    for (const id of ids) {
      const record = this.byId.get(id);
      if (!record || record.archived) {
        continue;
      }
      Object.assign(record.values, values);
      record.updatedAt = atMs;
      record.writtenAt = this.now();
      changed.push(record);
      for (const [propertyName, propertyValue] of Object.entries(values)) {
        this.onChange({ kind: 'propertyChange', type: this.type, record, propertyName, propertyValue });
      }
    }
    return changed;
  }

  /** Archives (HubSpot's delete) each live record of `ids` at `atMs`. */
  archive(ids: number[], atMs: number, silent = false): CrmRecord[] {
    const archived: CrmRecord[] = [];
    for (const id of ids) {
      const record = this.byId.get(id);
      if (!record || record.archived) {
        continue;
      }
      record.archived = true;
      record.archivedAt = atMs;
      record.updatedAt = atMs;
      record.writtenAt = this.now();
      archived.push(record);
      if (!silent) {
        this.onChange({ kind: 'deletion', type: this.type, record });
      }
    }
    return archived;
  }

  /** Records in ascending id order, live or archived ones only; `afterId` excluded. */
  *ascending(archived: boolean, afterId = 0): Generator<CrmRecord> {
    for (let i = firstAbove(this.ids, afterId); i < this.ids.length; i++) {
      const record = this.byId.get(this.ids[i])!;
      if (record.archived === archived) {
        yield record;
      }
    }
  }

  /** Live or archived ids, ascending. */
  idList(archived = false): number[] {
    return this.ids.filter((id) => this.byId.get(id)!.archived === archived);
  }

  /** The record as the API shows it, with `names` (unknown names ignored) or the default set. */
  render(record: CrmRecord, names: string[] | undefined): ApiObject {
    // HubSpot adds the id and both dates to whatever is asked for.
    const always = ['createdate', 'hs_object_id', modifiedProperty(this.type)];
    const wanted = names && names.length > 0 ? [...names, ...always] : DEFAULT_PROPERTIES[this.type];
    const properties: Record<string, string | null> = {};
    for (const name of wanted) {
      if (propertyDefinition(this.type, name)) {
        properties[name] = this.value(record, name);
      }
    }
    return {
      id: String(record.id),
      properties,
      createdAt: iso(record.createdAt),
      updatedAt: iso(record.updatedAt),
      archived: record.archived,
      ...(record.archivedAt === undefined ? {} : { archivedAt: iso(record.archivedAt) }),
    };
  }

  /** One property's current value as a string (or null), as search compares it. */
  value(record: CrmRecord, name: string): string | null {
    if (name === 'hs_object_id') {
      return String(record.id);
    }
    if (name === 'createdate') {
      return iso(record.createdAt);
    }
    if (name === modifiedProperty(this.type)) {
      return iso(record.updatedAt);
    }
    if (name in record.values) {
      return record.values[name];
    }
    const property = propertyDefinition(this.type, name);
    return property && !isCoreProperty(this.type, name)
      ? derivedValue(property, this.seed, this.type, record.id)
      : null;
  }

  /** The id and the two dates as numbers (ms), without building their strings: search compares them a lot. */
  numeric(record: CrmRecord, name: string): number | undefined {
    if (name === 'hs_object_id') {
      return record.id;
    }
    if (name === 'createdate') {
      return record.createdAt;
    }
    return name === modifiedProperty(this.type) ? record.updatedAt : undefined;
  }

  /** All property names of the type (for `properties` asking for everything in tests). */
  propertyNames(): string[] {
    return propertyDefinitions(this.type).map((property) => property.name);
  }
}

export interface ApiObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Index of the first id above `afterId` in the ascending `ids` (binary search). */
function firstAbove(ids: number[], afterId: number): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ids[mid] <= afterId) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}
