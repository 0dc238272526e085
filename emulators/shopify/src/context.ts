// What every resolver of one request sees, and the connection helper they share: one page (or, inside a bulk
// operation, everything), with the cost of nodes asked for but not returned given back to the bucket.
import { getNamedType, type GraphQLCompositeType, type GraphQLResolveInfo } from 'graphql';
import { type ConnectionArgs, paginate } from './connection';
import { connectionNodeCost, type CostContext } from './cost';
import type { ShopState } from './state';

export interface RequestContext {
  state: ShopState;
  scopes: readonly string[];
  /** The API version that serves the request (after falling forward). */
  version: string;
  /** True while a bulk operation reads: whole listings, no page size, no depth cap. */
  bulk: boolean;
  cost: CostContext;
  /** Points to give back after the request: nodes asked for but not returned. */
  refund: number;
}

export interface SortCodec<T> {
  key(item: T): number;
  display(value: number): number | string;
  parse(value: number | string): number;
}

export interface ConnectionView {
  edges: { cursor: string; node: unknown }[];
  nodes: unknown[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function connection<T extends { id: number }>(
  ordered: readonly T[],
  codec: SortCodec<T>,
  args: ConnectionArgs,
  context: RequestContext,
  info: GraphQLResolveInfo,
  view: (item: T) => unknown,
): ConnectionView {
  if (context.bulk) {
    // Bulk results hold no cursors: building one per object would be most of a 50,000-order job's time.
    const list = args.reverse ? [...ordered].reverse() : ordered;
    return build(list.map(view), [], false, false);
  }
  const page = paginate(ordered, (item) => codec.key(item), args, codec);
  const selection = info.fieldNodes[0].selectionSet;
  if (selection) {
    const nodeCost = connectionNodeCost(getNamedType(info.returnType) as GraphQLCompositeType, selection, context.cost);
    context.refund += (page.requested - page.items.length) * nodeCost;
  }
  return build(page.items.map(view), page.cursors, page.hasNextPage, page.hasPreviousPage);
}

function build(nodes: unknown[], cursors: string[], hasNextPage: boolean, hasPreviousPage: boolean): ConnectionView {
  return {
    edges: nodes.map((node, i) => ({ cursor: cursors[i] ?? '', node })),
    nodes,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: cursors[0] ?? null,
      endCursor: cursors.at(-1) ?? null,
    },
  };
}
