// Running a bulk query: the validated document executes over whole listings (no page sizes, no depth cap, no cost)
// with the token's scopes of the moment the job was created, and the result becomes Shopify's JSONL: one object per
// line, each node of a nested connection on its own line after its parent with `__parentId` set to the parent's id.
import { execute, Kind, type OperationDefinitionNode } from 'graphql';
import type { BulkOperation, BulkResult } from './bulk';
import type { RequestContext } from './context';
import { checkQuery } from './document-cache';
import { fieldResolver, ROOT_VALUE } from './graphql';
import { adminSchema } from './schema';
import type { ShopState } from './state';

type Json = Record<string, unknown>;

export function runBulkQuery(state: ShopState, operation: BulkOperation): BulkResult {
  const { document } = checkQuery(operation.query);
  if (!document) {
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
  const result = execute({
    schema: adminSchema(),
    document,
    rootValue: ROOT_VALUE,
    contextValue: context,
    fieldResolver,
  });
  if (result instanceof Promise) {
    throw new Error('resolvers are synchronous');
  }
  const accessDenied = (result.errors ?? []).some((error) => error.extensions.code === 'ACCESS_DENIED');
  const lines: string[] = [];
  let roots = 0;
  const operationNode = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  for (const selection of operationNode?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD) {
      continue;
    }
    const value = (result.data ?? {})[selection.alias?.value ?? selection.name.value];
    if (isConnection(value)) {
      for (const node of nodesOf(value)) {
        roots++;
        emit(node, undefined, lines);
      }
    } else if (value && typeof value === 'object') {
      roots++;
      emit(value as Json, undefined, lines);
    }
  }
  return {
    jsonl: lines.length > 0 ? `${lines.join('\n')}\n` : '',
    objectCount: lines.length,
    rootObjectCount: roots,
    accessDenied,
  };
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
