// Running a bulk query: the document (validated against the schema when the job was created) is projected straight
// from our resolvers over whole listings (no page sizes, no depth cap, no cost), with the token's scopes of the
// moment the job was created. graphql-js's executor would do the same but takes ~10 s for 50,000 orders with their
// line items, blocking the emulator; the projection handles what a valid bulk query can hold (fields, aliases,
// arguments, inline fragments, __typename). The result becomes Shopify's JSONL: one object per line, each node of
// a nested connection on its own line after its parent with `__parentId` set to the parent's id.
import {
  GraphQLError,
  isAbstractType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
import type { BulkOperation, BulkResult } from './bulk';
import type { RequestContext } from './context';
import { checkQuery } from './document-cache';
import { ROOT_VALUE } from './graphql';
import { adminSchema } from './schema';
import type { ShopState } from './state';

type Json = Record<string, unknown>;
type Resolver = (args: Json, context: RequestContext, info: never) => unknown;

export function runBulkQuery(state: ShopState, operation: BulkOperation): BulkResult {
  const { document } = checkQuery(operation.query);
  const root = document?.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!root) {
    throw new Error('a bulk operation holds a query that was validated when it was created');
  }
  const context: RequestContext = {
    state,
    scopes: operation.scopes,
    version: 'bulk',
    bulk: true,
    cost: { schema: adminSchema(), fragments: {}, variables: {} },
    refund: 0,
  };
  let data: Json;
  try {
    data = project(ROOT_VALUE, root.selectionSet, context) as Json;
  } catch (error) {
    if (!(error instanceof GraphQLError)) {
      throw error;
    }
    const errorCode = error.extensions.code === 'ACCESS_DENIED' ? 'ACCESS_DENIED' : 'INTERNAL_SERVER_ERROR';
    return { jsonl: '', objectCount: 0, rootObjectCount: 0, errorCode };
  }
  const lines: string[] = [];
  let roots = 0;
  for (const value of Object.values(data)) {
    const nodes = isConnection(value) ? nodesOf(value) : value && typeof value === 'object' ? [value as Json] : [];
    for (const node of nodes) {
      roots++;
      emit(node, undefined, lines);
    }
  }
  return {
    jsonl: lines.length > 0 ? `${lines.join('\n')}\n` : '',
    objectCount: lines.length,
    rootObjectCount: roots,
  };
}

/** The selection of `selectionSet` on `value`: functions are resolvers called with the field's arguments. */
function project(value: unknown, selectionSet: SelectionSetNode, context: RequestContext): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (Array.isArray(value)) {
    return value.map((item) => project(item, selectionSet, context));
  }
  const source = value as Json;
  const result: Json = {};
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || isOfType(source.__typename, selection.typeCondition.name.value)) {
        Object.assign(result, project(source, selection.selectionSet, context));
      }
      continue;
    }
    if (selection.kind !== Kind.FIELD) {
      continue;
    }
    const name = selection.name.value;
    const args = Object.fromEntries(
      (selection.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]),
    );
    const raw = source[name];
    const resolved =
      typeof raw === 'function' ? (raw as Resolver).call(source, args, context, undefined as never) : raw;
    result[selection.alias?.value ?? name] = selection.selectionSet
      ? project(resolved, selection.selectionSet, context)
      : (resolved ?? null);
  }
  return result;
}

function isOfType(typeName: unknown, condition: string): boolean {
  if (typeName === condition) {
    return true;
  }
  const schema = adminSchema();
  const abstract = schema.getType(condition);
  const concrete = typeof typeName === 'string' ? schema.getType(typeName) : undefined;
  return (
    !!abstract &&
    !!concrete &&
    isAbstractType(abstract) &&
    schema.isSubType(abstract, concrete as Parameters<typeof schema.isSubType>[1])
  );
}

/** One object's line (its own fields), then the lines of every nested connection's nodes. */
function emit(node: Json, parentId: string | undefined, lines: string[]): void {
  const own: Json = {};
  const children: Json[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (isConnection(value)) {
      children.push(...nodesOf(value));
    } else {
      own[key] = value;
    }
  }
  lines.push(JSON.stringify(parentId === undefined ? own : { ...own, __parentId: parentId }));
  for (const child of children) {
    emit(child, String(node.id), lines);
  }
}

function isConnection(value: unknown): value is Json {
  return (
    value !== null &&
    typeof value === 'object' &&
    (Array.isArray((value as Json).edges) || Array.isArray((value as Json).nodes))
  );
}

function nodesOf(connection: Json): Json[] {
  if (Array.isArray(connection.nodes)) {
    return connection.nodes as Json[];
  }
  return (connection.edges as { node?: Json }[]).map((edge) => edge.node).filter((node): node is Json => !!node);
}
