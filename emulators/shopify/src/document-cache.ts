// Parsed and validated documents by query text: syncs send the same few queries thousands of times, and validating
// against the Admin schema (thousands of types) is the expensive part of a request.
import { type DocumentNode, type GraphQLError, parse, validate } from 'graphql';
import { adminSchema } from './schema';

export type Checked =
  { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: readonly GraphQLError[] };

const LIMIT = 500;
const cache = new Map<string, Checked>();

/** The document of `query` if it parses and is valid against the Admin schema, otherwise the errors. */
export function checkQuery(query: string): Checked {
  const hit = cache.get(query);
  if (hit) {
    return hit;
  }
  let checked: Checked;
  try {
    const document = parse(query);
    const errors = validate(adminSchema(), document);
    checked = errors.length > 0 ? { errors } : { document };
  } catch (error) {
    checked = { errors: [error as GraphQLError] };
  }
  if (cache.size >= LIMIT) {
    cache.delete(cache.keys().next().value!);
  }
  cache.set(query, checked);
  return checked;
}
