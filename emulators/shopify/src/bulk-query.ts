// The rules a bulk query must meet before Shopify accepts it (cloud-apis.md §3.4): valid against the schema, a
// query (not a mutation), 1 to 5 connections, connections nested at most 2 deep, and an `id` on every node that has
// a nested connection (children point at it with `__parentId`). Each broken rule is a userError, code INVALID.
import {
  type DocumentNode,
  type FieldNode,
  getNamedType,
  type GraphQLCompositeType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';
import { isConnectionType } from './cost';
import { checkQuery } from './document-cache';
import { adminSchema } from './schema';

export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_NESTING = 2;

export type BulkQueryCheck = { document: DocumentNode; rootFields: string[] } | { error: string };

export function checkBulkQuery(query: string): BulkQueryCheck {
  const checked = checkQuery(query);
  if (checked.errors) {
    return { error: `Invalid bulk query: ${checked.errors.map((error) => error.message).join('; ')}` };
  }
  const operations = checked.document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || operations[0].operation !== OperationTypeNode.QUERY) {
    return { error: 'Bulk queries must contain exactly one query operation.' };
  }
  if (checked.document.definitions.some((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)) {
    return { error: 'Bulk queries cannot contain fragment definitions; use inline fragments.' };
  }
  const walk = { connections: 0, deepest: 0, parentsWithoutId: [] as string[] };
  visit(adminSchema().getQueryType()!, operations[0].selectionSet, 0, walk);
  if (walk.connections === 0) {
    return { error: 'Bulk queries must contain at least one connection.' };
  }
  if (walk.connections > MAX_BULK_CONNECTIONS) {
    return { error: `Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.` };
  }
  if (walk.deepest > MAX_BULK_NESTING) {
    return { error: `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_NESTING}.` };
  }
  if (walk.parentsWithoutId.length > 0) {
    return {
      error:
        "The parent 'node' field for a nested connection must select the 'id' field. " +
        `Connection fields without 'id': ${walk.parentsWithoutId.join(', ')}.`,
    };
  }
  const rootFields = operations[0].selectionSet.selections
    .filter((selection): selection is FieldNode => selection.kind === Kind.FIELD)
    .map((field) => field.name.value);
  return { document: checked.document, rootFields };
}

interface Walk {
  connections: number;
  deepest: number;
  parentsWithoutId: string[];
}

/** Counts connections under `selectionSet` on `type`; `depth` is how many connections enclose it. */
function visit(type: GraphQLCompositeType, selectionSet: SelectionSetNode, depth: number, walk: Walk): void {
  const selectsId = selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === 'id',
  );
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? adminSchema().getType(selection.typeCondition.name.value) : type;
      if (condition && isCompositeType(condition)) {
        visit(condition, selection.selectionSet, depth, walk);
      }
      continue;
    }
    if (selection.kind !== Kind.FIELD || !selection.selectionSet) {
      continue;
    }
    const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
    const fieldType = field && getNamedType(field.type);
    if (!fieldType || !isCompositeType(fieldType)) {
      continue;
    }
    const isConnection = isConnectionType(fieldType.name);
    if (isConnection) {
      walk.connections++;
      walk.deepest = Math.max(walk.deepest, depth + 1);
      // Inside a connection, the object holding a nested connection is its children's parent: it needs an id.
      if (depth > 0 && !selectsId) {
        walk.parentsWithoutId.push(selection.name.value);
      }
    }
    visit(fieldType, selection.selectionSet, isConnection ? depth + 1 : depth, walk);
  }
}
