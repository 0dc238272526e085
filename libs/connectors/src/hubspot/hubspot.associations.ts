import type { MappedRecord, ObjectDescriptor } from '../core/connector';

/**
 * Associations are synced as objects of their own, one per direction we keep (issue 13: contact↔company,
 * deal↔contact, deal↔company), read from the `from` side's listing with v4 batch reads, one record per linked
 * pair. A full refresh marks pairs that are gone (unlinked, or either side archived) deleted, and the identity
 * and mapping issues read them from the records table like any object (the source purge covers it).
 */
export interface AssociationObject {
  descriptor: ObjectDescriptor;
  from: 'contacts' | 'deals';
  to: 'companies' | 'contacts';
}

// Associations carry no modification time: the cursor names the side they are listed by.
const association = (name: string, from: AssociationObject['from'], to: AssociationObject['to']) => ({
  descriptor: { name, primaryKey: 'id', cursorField: 'fromId' },
  from,
  to,
});

export const HUBSPOT_ASSOCIATIONS: readonly AssociationObject[] = [
  association('contact_companies', 'contacts', 'companies'),
  association('deal_contacts', 'deals', 'contacts'),
  association('deal_companies', 'deals', 'companies'),
];

/** One v4 association type of a pair, as HubSpot answers it. */
export interface AssociationType {
  category: string;
  typeId: number;
  label?: string | null;
}

/** The links of one `from` record as a v4 read answers them. */
export interface AssociatedFrom {
  fromId: string;
  to: { toObjectId: string | number; associationTypes: AssociationType[] }[];
}

/** One record per linked pair, id `<fromId>-<toId>`, with the pair's association types in HubSpot's order. */
export function associationRecords(object: AssociationObject, linked: readonly AssociatedFrom[]): MappedRecord[] {
  return linked.flatMap(({ fromId, to }) =>
    to.map((link) => {
      const toId = String(link.toObjectId);
      const id = `${fromId}-${toId}`;
      return {
        externalId: id,
        payload: {
          id,
          fromObjectType: object.from,
          fromId,
          toObjectType: object.to,
          toId,
          associationTypes: link.associationTypes.map((type) => ({
            category: type.category,
            typeId: type.typeId,
            label: type.label ?? null,
          })),
        },
      };
    }),
  );
}
