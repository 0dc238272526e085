import type { MappedRecord, ObjectDescriptor } from '../core/connector';

/**
 * The CRM objects we sync. Ids are numeric strings; the modification time is `lastmodifieddate` on
 * contacts and `hs_lastmodifieddate` on companies and deals (cloud-apis.md §2.2).
 */
export const HUBSPOT_OBJECTS: ObjectDescriptor[] = [
  { name: 'contacts', primaryKey: 'id', cursorField: 'lastmodifieddate' },
  { name: 'companies', primaryKey: 'id', cursorField: 'hs_lastmodifieddate' },
  { name: 'deals', primaryKey: 'id', cursorField: 'hs_lastmodifieddate' },
];

/**
 * Characters of `properties=` query parameters per request: HubSpot answers 414 for long URLs (the emulator
 * at 16,000 characters), so all properties are asked for in chunks of this size, merged by id.
 */
export const PROPERTY_CHUNK_CHARS = 7_000;

/** Splits property names into chunks whose repeated `properties=<name>&` parameters stay within `maxChars`. */
export function chunkProperties(names: readonly string[], maxChars = PROPERTY_CHUNK_CHARS): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let used = 0;
  for (const name of names) {
    const cost = 'properties='.length + encodeURIComponent(name).length + 1;
    if (chunk.length > 0 && used + cost > maxChars) {
      chunks.push(chunk);
      chunk = [];
      used = 0;
    }
    chunk.push(name);
    used += cost;
  }
  if (chunk.length > 0) {
    chunks.push(chunk);
  }
  return chunks;
}

/** One CRM record as the list endpoint answers it (the client's model, dates parsed). */
export interface ListedRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
  archived?: boolean;
}

/**
 * Merges the answers of one page asked in property chunks. The first chunk decides which records the page
 * holds; a record missing from a later chunk was archived meanwhile, so it is left out (the full refresh then
 * marks it deleted, as HubSpot now has it).
 */
export function mergeChunks(chunks: readonly (readonly ListedRecord[])[]): MappedRecord[] {
  const [first = [], ...rest] = chunks;
  const later = rest.map((chunk) => new Map(chunk.map((record) => [record.id, record])));
  return first.flatMap((record) => {
    const parts = later.map((byId) => byId.get(record.id));
    if (parts.some((part) => part === undefined)) {
      return [];
    }
    const properties = Object.assign({}, record.properties, ...parts.map((part) => part!.properties)) as Record<
      string,
      string | null
    >;
    return [{ externalId: record.id, payload: payloadOf(record, properties) }];
  });
}

/** The record as HubSpot's JSON has it: dates as ISO strings, every property asked for. */
function payloadOf(record: ListedRecord, properties: Record<string, string | null>): Record<string, unknown> {
  return {
    id: record.id,
    properties,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    archived: record.archived ?? false,
  };
}
