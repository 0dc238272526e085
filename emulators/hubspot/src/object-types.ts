// The CRM object types the emulator serves, their modification-date property and the scopes reading them needs.

export const OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export function isObjectType(value: string): value is ObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(value);
}

/** Contacts keep `lastmodifieddate`; companies and deals `hs_lastmodifieddate` (cloud-apis.md §2.3). */
export function modifiedProperty(type: ObjectType): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

/** The properties a GET returns when none are asked for. */
export const DEFAULT_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
};

/** The granular scope reading records of `type` needs; the properties endpoint needs the schema scope. */
export function readScope(type: ObjectType): string {
  return `crm.objects.${type}.read`;
}

export function schemaScope(type: ObjectType): string {
  return `crm.schemas.${type}.read`;
}

/** Webhook subscription types name the singular: contact.creation, company.deletion, deal.propertyChange. */
export function singular(type: ObjectType): string {
  return type === 'companies' ? 'company' : type.slice(0, -1);
}
