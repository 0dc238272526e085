// Shopify's real Admin GraphQL schema for 2026-01 (the introspection result shipped in @shopify/dev-mcp, vendored
// in ../schema with its ISC licence), built once per process: about 0.8 s, so tests share it across emulators.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

export const SCHEMA_VERSION = '2026-01';
const SCHEMA_FILE = join(__dirname, '..', 'schema', `admin_${SCHEMA_VERSION}.json.gz`);

let schema: GraphQLSchema | undefined;

export function adminSchema(): GraphQLSchema {
  if (!schema) {
    const introspection = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString('utf8')) as {
      data: IntrospectionQuery;
    };
    schema = buildClientSchema(introspection.data);
  }
  return schema;
}
