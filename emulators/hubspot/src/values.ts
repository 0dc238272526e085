// Generated property values. Core properties get realistic values once, at creation; the hundreds of generated
// properties (properties.ts) derive theirs from (seed, type, id, name) on every read, so 50,000 records do not
// hold 25 million strings. Every value is a string, as HubSpot sends them; datetimes are ISO in v3 answers.
import type { ObjectType } from './object-types';
import { type PropertyDefinition } from './properties';
import { quickHash, stableInt, stablePick } from './random';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Ken',
  'Margaret',
  'Linus',
  'Radia',
  'Dennis',
  'Frances',
  'John',
  'Katherine',
  'Tim',
  'Hedy',
  'Donald',
  'Sophie',
  'Guido',
  'Anita',
  'Bjarne',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Thompson',
  'Hamilton',
  'Torvalds',
  'Perlman',
  'Ritchie',
  'Allen',
  'McCarthy',
  'Johnson',
  'Berners-Lee',
  'Lamarr',
  'Knuth',
  'Wilson',
  'van Rossum',
  'Borg',
];
const COMPANY_WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Vandelay',
  'Wonka',
  'Aperture',
  'Massive',
  'Dynamic',
];
const COMPANY_KINDS = ['Labs', 'Systems', 'Industries', 'Analytics', 'Partners', 'Logistics', 'Foods', 'Health'];
const CITIES: [string, string][] = [
  ['Boston', 'United States'],
  ['Dublin', 'Ireland'],
  ['Berlin', 'Germany'],
  ['Paris', 'France'],
  ['Toronto', 'Canada'],
  ['Sydney', 'Australia'],
  ['Tokyo', 'Japan'],
  ['Austin', 'United States'],
];

/** Core values of a new record of `type` with `id` (the dates and hs_object_id come from the record itself). */
export function coreValues(type: ObjectType, seed: number, id: number, createdAtMs: number): Record<string, string> {
  const pick = <T>(items: readonly T[], label: string): T => stablePick(items, seed, type, id, label);
  const [city, country] = pick(CITIES, 'city');
  if (type === 'contacts') {
    const first = pick(FIRST, 'first');
    const last = pick(LAST, 'last');
    const domain = `${pick(COMPANY_WORDS, 'company').toLowerCase()}.example`;
    return {
      email: `${first}.${last.replace(/[^A-Za-z]/g, '')}.${id}@${domain}`.toLowerCase(),
      firstname: first,
      lastname: last,
      phone: `+1 617 555 ${String(id % 10_000).padStart(4, '0')}`,
      jobtitle: pick(['Engineer', 'CTO', 'Buyer', 'Head of Sales', 'Analyst', 'Founder'], 'job'),
      city,
      country,
      lifecyclestage: pick(['subscriber', 'lead', 'marketingqualifiedlead', 'customer'], 'stage'),
    };
  }
  if (type === 'companies') {
    const name = `${pick(COMPANY_WORDS, 'word')} ${pick(COMPANY_KINDS, 'kind')}`;
    return {
      name,
      domain: `${name.toLowerCase().replace(/\s+/g, '-')}-${id}.example`,
      industry: pick(['COMPUTER_SOFTWARE', 'RETAIL', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE'], 'industry'),
      numberofemployees: String(5 + stableInt(5000, seed, type, id, 'employees')),
      annualrevenue: String(100_000 * (1 + stableInt(500, seed, type, id, 'revenue'))),
      city,
      country,
      lifecyclestage: pick(['lead', 'opportunity', 'customer'], 'stage'),
    };
  }
  return {
    dealname: `${pick(COMPANY_WORDS, 'word')} ${pick(['renewal', 'expansion', 'pilot', 'new logo'], 'kind')} #${id}`,
    amount: String(500 * (1 + stableInt(200, seed, type, id, 'amount'))),
    dealstage: pick(['appointmentscheduled', 'qualifiedtobuy', 'contractsent', 'closedwon', 'closedlost'], 'stage'),
    pipeline: 'default',
    closedate: new Date(createdAtMs + (1 + stableInt(90, seed, type, id, 'close')) * 86_400_000).toISOString(),
    dealtype: pick(['newbusiness', 'existingbusiness'], 'type'),
  };
}

/** A generated property's value for one record: absent (null) for most, as on a real portal. */
export function derivedValue(property: PropertyDefinition, seed: number, type: ObjectType, id: number): string | null {
  const hash = quickHash(`${seed}:${type}:${id}:${property.name}`);
  if (hash % 10 < 7) {
    return null;
  }
  const n = hash >>> 4;
  switch (property.type) {
    case 'number':
      return String(n % 1000);
    case 'bool':
      return n % 2 === 0 ? 'true' : 'false';
    case 'date':
      return new Date(Date.UTC(2024, 0, 1) + (n % 700) * 86_400_000).toISOString().slice(0, 10);
    case 'datetime':
      return new Date(Date.UTC(2024, 0, 1) + (n % 600_000) * 60_000).toISOString();
    case 'enumeration':
      return property.options[n % property.options.length]?.value ?? null;
    case 'string':
      return `${property.name.replace(/^hs_/, '')}-${n % 100_000}`;
  }
}
