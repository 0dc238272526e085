// Shopify's query cost (cloud-apis.md §3.3) and its leaky bucket. Requested cost, from the document before running
// it: a scalar or enum costs 0, an object 1 plus its selection, a connection 2 plus `first`/`last` times the cost of
// one node (so nested connections multiply), PageInfo and the edges wrapper nothing, and a mutation field 10. The
// actual cost is the requested cost less what did not come back (connections returning fewer nodes than asked).
import {
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  type SelectionSetNode,
  valueFromAST,
} from 'graphql';

export const MAX_SINGLE_QUERY_COST = 1000;
export const MUTATION_COST = 10;

export interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function isConnectionType(name: string): boolean {
  return name.endsWith('Connection');
}

/** The requested cost of one operation. */
export function requestedCost(operation: OperationDefinitionNode, context: CostContext): number {
  if (operation.operation === OperationTypeNode.MUTATION) {
    return (
      operation.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD).length * MUTATION_COST
    );
  }
  const root = context.schema.getQueryType();
  return root ? selectionCost(root, operation.selectionSet, context) : 0;
}

/** The cost of a selection on `type` (fragments included, their type conditions followed). */
export function selectionCost(
  type: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  context: CostContext,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(type, selection, context);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : context.fragments[selection.name.value];
    if (!fragment) {
      continue;
    }
    const condition = fragment.typeCondition
      ? context.schema.getType(fragment.typeCondition.name.value)
      : (type as GraphQLCompositeType | undefined);
    if (condition && isCompositeType(condition)) {
      total += selectionCost(condition, fragment.selectionSet, context);
    }
  }
  return total;
}

function fieldCost(parent: GraphQLCompositeType, node: FieldNode, context: CostContext): number {
  const field = fieldOf(parent, node.name.value);
  if (!field || !node.selectionSet) {
    return 0;
  }
  const type = getNamedType(field.type);
  if (!isCompositeType(type)) {
    return 0;
  }
  if (type.name === 'PageInfo') {
    return 0;
  }
  if (isConnectionType(type.name)) {
    return 2 + pageSize(field, node, context) * connectionNodeCost(type, node.selectionSet, context);
  }
  return 1 + selectionCost(type, node.selectionSet, context);
}

/** The cost of one node of a connection: 1 for the node object plus its selection, via `nodes` or `edges.node`. */
export function connectionNodeCost(
  connection: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  context: CostContext,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) {
      continue;
    }
    const name = selection.name.value;
    const field = fieldOf(connection, name);
    if (!field || !selection.selectionSet) {
      continue;
    }
    if (name === 'nodes') {
      cost = Math.max(
        cost,
        1 + selectionCost(getNamedType(field.type) as GraphQLCompositeType, selection.selectionSet, context),
      );
    } else if (name === 'edges') {
      const edge = getNamedType(field.type) as GraphQLCompositeType;
      cost = Math.max(cost, edgeCost(edge, selection.selectionSet, context));
    }
  }
  return Math.max(cost, 1);
}

function edgeCost(edge: GraphQLCompositeType, selectionSet: SelectionSetNode, context: CostContext): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value === 'node' && selection.selectionSet) {
      const node = getNamedType(fieldOf(edge, 'node')!.type) as GraphQLCompositeType;
      cost = Math.max(cost, 1 + selectionCost(node, selection.selectionSet, context));
    }
  }
  return cost;
}

/** `first` or `last` of a connection field (variables resolved); 0 when neither is given. */
export function pageSize(field: GraphQLField<unknown, unknown>, node: FieldNode, context: CostContext): number {
  for (const name of ['first', 'last']) {
    const argument = node.arguments?.find((each) => each.name.value === name);
    const definition = field.args.find((each) => each.name === name);
    if (argument && definition) {
      const value = valueFromAST(argument.value, definition.type, context.variables);
      if (typeof value === 'number') {
        return value;
      }
    }
  }
  return 0;
}

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

export interface BucketLimits {
  maximumAvailable: number;
  restoreRate: number;
}

export interface ThrottleStatus extends BucketLimits {
  currentlyAvailable: number;
}

/** The Standard plan's bucket (cloud-apis.md §3.3). */
export const SHOPIFY_BUCKET: BucketLimits = { maximumAvailable: 2000, restoreRate: 100 };

/**
 * One shop's leaky bucket, in points, refilled at `restoreRate` per second of real time. `limits: false` never
 * throttles (the bucket still reports full).
 */
export class CostBucket {
  private available: number;
  private at: number;

  constructor(
    public limits: BucketLimits | false,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.available = this.max();
    this.at = this.nowMs();
  }

  /** Takes `cost` points, or returns false (taking nothing) when fewer are available. */
  take(cost: number): boolean {
    this.refill();
    if (this.limits === false) {
      return true;
    }
    if (cost > this.available) {
      return false;
    }
    this.available -= cost;
    return true;
  }

  /** Gives back what a query did not use. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.max(), this.available + points);
  }

  status(): ThrottleStatus {
    this.refill();
    const limits = this.limits === false ? SHOPIFY_BUCKET : this.limits;
    const currentlyAvailable = this.limits === false ? limits.maximumAvailable : Math.floor(this.available);
    return { maximumAvailable: limits.maximumAvailable, currentlyAvailable, restoreRate: limits.restoreRate };
  }

  reset(limits: BucketLimits | false = this.limits): void {
    this.limits = limits;
    this.available = this.max();
    this.at = this.nowMs();
  }

  private max(): number {
    return this.limits === false ? Number.POSITIVE_INFINITY : this.limits.maximumAvailable;
  }

  private refill(): void {
    const now = this.nowMs();
    if (this.limits !== false) {
      this.available = Math.min(this.max(), this.available + ((now - this.at) / 1000) * this.limits.restoreRate);
    }
    this.at = now;
  }
}
