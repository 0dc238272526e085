// Associations between records, stored once per pair and read in either direction with HubSpot's v4 type ids
// (cloud-apis.md §2.4): a primary association carries the primary id (label "Primary") and the unlabeled one.
import type { ObjectType } from './object-types';

export interface AssociationType {
  category: 'HUBSPOT_DEFINED';
  typeId: number;
  label: string | null;
}

/** [primary typeId, plain typeId] per direction; deal↔contact has no primary. */
const TYPE_IDS: Record<string, [number | undefined, number]> = {
  'contacts>companies': [1, 279],
  'companies>contacts': [2, 280],
  'deals>contacts': [undefined, 3],
  'contacts>deals': [undefined, 4],
  'deals>companies': [5, 341],
  'companies>deals': [6, 342],
};

/** The v3 `associations=` inline `type` names, e.g. contact_to_company. */
const V3_NAMES: Record<string, [string | undefined, string]> = {
  'contacts>companies': ['contact_to_company', 'contact_to_company_unlabeled'],
  'companies>contacts': ['company_to_contact', 'company_to_contact_unlabeled'],
  'deals>contacts': [undefined, 'deal_to_contact'],
  'contacts>deals': [undefined, 'contact_to_deal'],
  'deals>companies': ['deal_to_company', 'deal_to_company_unlabeled'],
  'companies>deals': ['company_to_deal', 'company_to_deal_unlabeled'],
};

export function isAssociable(from: ObjectType, to: ObjectType): boolean {
  return `${from}>${to}` in TYPE_IDS;
}

export class AssociationStore {
  /** `from>to` → from id → to id → primary? */
  private readonly links = new Map<string, Map<number, Map<number, boolean>>>();

  /** Associates both ways; `primary` marks the primary company of a contact or deal. */
  add(from: ObjectType, fromId: number, to: ObjectType, toId: number, primary = false): void {
    this.side(from, to, fromId).set(toId, primary);
    this.side(to, from, toId).set(fromId, primary);
  }

  remove(from: ObjectType, fromId: number, to: ObjectType, toId: number): void {
    this.links.get(`${from}>${to}`)?.get(fromId)?.delete(toId);
    this.links.get(`${to}>${from}`)?.get(toId)?.delete(fromId);
  }

  /** The associated ids of `fromId` in `to`, ascending, with their v4 types. */
  read(
    from: ObjectType,
    fromId: number,
    to: ObjectType,
  ): { toObjectId: number; associationTypes: AssociationType[] }[] {
    const linked = this.links.get(`${from}>${to}`)?.get(fromId);
    if (!linked) {
      return [];
    }
    const [primaryId, plainId] = TYPE_IDS[`${from}>${to}`];
    return [...linked.entries()]
      .sort(([a], [b]) => a - b)
      .map(([toObjectId, primary]) => ({
        toObjectId,
        associationTypes: [
          ...(primary && primaryId !== undefined
            ? [{ category: 'HUBSPOT_DEFINED' as const, typeId: primaryId, label: 'Primary' }]
            : []),
          { category: 'HUBSPOT_DEFINED' as const, typeId: plainId, label: null },
        ],
      }));
  }

  /** The v3 inline form: `{results:[{id, type}]}`, one entry per association type, as the v3 GET answers. */
  inline(from: ObjectType, fromId: number, to: ObjectType): { id: string; type: string }[] {
    const [primaryName, plainName] = V3_NAMES[`${from}>${to}`];
    return this.read(from, fromId, to).flatMap(({ toObjectId, associationTypes }) =>
      associationTypes.map((type) => ({
        id: String(toObjectId),
        type: type.label === 'Primary' && primaryName ? primaryName : plainName,
      })),
    );
  }

  private side(from: ObjectType, to: ObjectType, fromId: number): Map<number, boolean> {
    const key = `${from}>${to}`;
    let byFrom = this.links.get(key);
    if (!byFrom) {
      byFrom = new Map();
      this.links.set(key, byFrom);
    }
    let linked = byFrom.get(fromId);
    if (!linked) {
      linked = new Map();
      byFrom.set(fromId, linked);
    }
    return linked;
  }
}
