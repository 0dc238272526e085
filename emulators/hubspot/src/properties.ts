// Property definitions per object type, as GET /crm/v3/properties/<type> returns them. A portal has hundreds of
// properties (HubSpot defines ~400 on contacts before anyone adds custom ones), so asking for all of them in one
// GET makes a URL too long to send: clients must chunk. The first part of each list is HubSpot's real core
// properties; the rest is generated from HubSpot's naming patterns, deterministically, to reach a realistic size.
import type { ObjectType } from './object-types';

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  description: string;
  groupName: string;
  options: { label: string; value: string; displayOrder: number; hidden: boolean }[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  formField: boolean;
  dataSensitivity: 'non_sensitive';
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

type Core = [name: string, type: PropertyType, options?: string[]];

const LIFECYCLE = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
const CORE: Record<ObjectType, Core[]> = {
  contacts: [
    ['email', 'string'],
    ['firstname', 'string'],
    ['lastname', 'string'],
    ['phone', 'string'],
    ['company', 'string'],
    ['website', 'string'],
    ['jobtitle', 'string'],
    ['city', 'string'],
    ['country', 'string'],
    ['lifecyclestage', 'enumeration', LIFECYCLE],
    ['hs_lead_status', 'enumeration', ['NEW', 'OPEN', 'IN_PROGRESS', 'CONNECTED', 'UNQUALIFIED']],
    ['createdate', 'datetime'],
    ['lastmodifieddate', 'datetime'],
    ['hs_object_id', 'number'],
  ],
  companies: [
    ['name', 'string'],
    ['domain', 'string'],
    ['industry', 'enumeration', ['COMPUTER_SOFTWARE', 'RETAIL', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE']],
    ['numberofemployees', 'number'],
    ['annualrevenue', 'number'],
    ['city', 'string'],
    ['country', 'string'],
    ['lifecyclestage', 'enumeration', LIFECYCLE],
    ['createdate', 'datetime'],
    ['hs_lastmodifieddate', 'datetime'],
    ['hs_object_id', 'number'],
  ],
  deals: [
    ['dealname', 'string'],
    ['amount', 'number'],
    ['dealstage', 'enumeration', ['appointmentscheduled', 'qualifiedtobuy', 'contractsent', 'closedwon', 'closedlost']],
    ['pipeline', 'enumeration', ['default']],
    ['closedate', 'datetime'],
    ['dealtype', 'enumeration', ['newbusiness', 'existingbusiness']],
    ['createdate', 'datetime'],
    ['hs_lastmodifieddate', 'datetime'],
    ['hs_object_id', 'number'],
  ],
};

/** How many definitions each type has (core plus generated). */
const SIZE: Record<ObjectType, number> = { contacts: 520, companies: 260, deals: 220 };

// HubSpot's own naming: hs_<area>_<measure>, e.g. hs_analytics_first_timestamp, hs_email_last_click_date.
const AREAS = [
  'analytics',
  'email',
  'sales_email',
  'social',
  'latest_source',
  'first_engagement',
  'sequences',
  'marketing',
  'predictive',
  'document',
  'time_in',
  'date_entered',
  'date_exited',
  'calculated',
  'lead',
  'persona',
  'buying_role',
  'conversations',
  'feedback',
  'last_sales_activity',
  'legal_basis',
  'ip',
  'google_click',
  'facebook',
];
const MEASURES: [string, PropertyType][] = [
  ['first_timestamp', 'datetime'],
  ['last_timestamp', 'datetime'],
  ['num_visits', 'number'],
  ['num_page_views', 'number'],
  ['source', 'enumeration'],
  ['source_data_1', 'string'],
  ['source_data_2', 'string'],
  ['last_open_date', 'datetime'],
  ['last_click_date', 'datetime'],
  ['first_url', 'string'],
  ['last_url', 'string'],
  ['count', 'number'],
  ['is_enrolled', 'bool'],
  ['score', 'number'],
  ['date', 'date'],
  ['reason', 'string'],
  ['opt_out', 'bool'],
  ['campaign_id', 'string'],
  ['referrer_domain', 'string'],
  ['revenue_total', 'number'],
  ['average_duration_ms', 'number'],
  ['status', 'enumeration'],
];
const SOURCES = ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'DIRECT_TRAFFIC'];
const CREATED = '2019-08-06T02:43:22.123Z';

const cache = new Map<ObjectType, PropertyDefinition[]>();

/** Every property of `type`, in display order; the same objects on every call (treat them as read-only). */
export function propertyDefinitions(type: ObjectType): PropertyDefinition[] {
  let definitions = cache.get(type);
  if (!definitions) {
    definitions = [...CORE[type], ...generated(type)].map(([name, kind, options], i) =>
      definition(name, kind, options, i),
    );
    cache.set(type, definitions);
  }
  return definitions;
}

const byName = new Map<ObjectType, Map<string, PropertyDefinition>>();

export function propertyDefinition(type: ObjectType, name: string): PropertyDefinition | undefined {
  let names = byName.get(type);
  if (!names) {
    names = new Map(propertyDefinitions(type).map((property) => [property.name, property]));
    byName.set(type, names);
  }
  return names.get(name);
}

/** Names of the generated (non-core) properties, whose values derive from the record id (records.ts). */
export function isCoreProperty(type: ObjectType, name: string): boolean {
  return CORE[type].some(([core]) => core === name);
}

function generated(type: ObjectType): Core[] {
  const out: Core[] = [];
  const prefix = type === 'contacts' ? '' : `${type.slice(0, -1)}_`;
  for (const measure of MEASURES) {
    for (const area of AREAS) {
      if (out.length + CORE[type].length >= SIZE[type]) {
        return out;
      }
      const [suffix, kind] = measure;
      out.push([`hs_${prefix}${area}_${suffix}`, kind, kind === 'enumeration' ? SOURCES : undefined]);
    }
  }
  return out;
}

function definition(
  name: string,
  type: PropertyType,
  options: string[] | undefined,
  displayOrder: number,
): PropertyDefinition {
  const readOnly =
    name === 'hs_object_id' || name.endsWith('lastmodifieddate') || name === 'createdate' || name.startsWith('hs_');
  return {
    name,
    label: label(name),
    type,
    fieldType: FIELD_TYPES[type],
    description: '',
    groupName: name.startsWith('hs_') ? 'analyticsinformation' : 'contactinformation',
    options: (options ?? (type === 'bool' ? ['true', 'false'] : [])).map((value, i) => ({
      label: label(value),
      value,
      displayOrder: i,
      hidden: false,
    })),
    displayOrder,
    calculated: name.startsWith('hs_') && name !== 'hs_lead_status',
    externalOptions: false,
    hasUniqueValue: name === 'email' || name === 'domain',
    hidden: false,
    hubspotDefined: true,
    modificationMetadata: {
      archivable: !readOnly,
      readOnlyDefinition: true,
      readOnlyValue: readOnly && name !== 'hs_lead_status',
    },
    formField: !readOnly,
    dataSensitivity: 'non_sensitive',
    createdAt: CREATED,
    updatedAt: CREATED,
    archived: false,
  };
}

const FIELD_TYPES: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
};

function label(name: string): string {
  const words = name.replace(/^hs_/, '').split('_').join(' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
