// The QueryRoot fields the emulator serves: listings with search, sort and pagination, lookups by id and by GID
// (`node`, `nodes`), the shop and the app installation's granted scopes. Every read checks the token's scopes;
// orders older than 60 days are invisible without read_all_orders (cloud-apis.md §3.2).
import type { GraphQLResolveInfo } from 'graphql';
import type { ConnectionArgs } from './connection';
import { connection, type RequestContext, type SortCodec } from './context';
import { accessDenied, badRequest, internalError } from './errors';
import { type AnyRecord, iso, type OrderRecord, parseGid, type Resource } from './records';
import { EmptySearchValue, searchPredicate } from './search';
import { customerView, lineItemView, orderView, productView, variantView } from './shape';
import type { SortKey } from './store';

export const READ_SCOPE: Record<Resource, string> = {
  customers: 'read_customers',
  orders: 'read_orders',
  products: 'read_products',
};
export const ALL_ORDERS_SCOPE = 'read_all_orders';
const SIXTY_DAYS_MS = 60 * 86_400_000;
/** Input arrays (e.g. `nodes(ids:)`) hold at most 250 items. */
const MAX_INPUT_SIZE = 250;

type Args = ConnectionArgs & { query?: string | null; sortKey?: string | null };
type Root = (args: Record<string, unknown>, context: RequestContext, info: GraphQLResolveInfo) => unknown;

const VIEWS: Record<Resource, (record: never) => unknown> = {
  customers: customerView,
  orders: orderView,
  products: productView,
};

export function requireScope(context: RequestContext, field: string, scope: string): void {
  if (!context.scopes.includes(scope)) {
    throw accessDenied(field, scope);
  }
}

/** Orders older than 60 days exist only for tokens with read_all_orders. */
export function orderVisible(order: OrderRecord, context: RequestContext): boolean {
  return context.scopes.includes(ALL_ORDERS_SCOPE) || order.createdAt >= context.state.clock.nowMs() - SIXTY_DAYS_MS;
}

function codecFor(sortKey: SortKey): SortCodec<AnyRecord> {
  if (sortKey === 'ID') {
    return { key: (record) => record.id, display: (value) => value, parse: Number };
  }
  const field = sortKey === 'UPDATED_AT' ? 'updatedAt' : 'createdAt';
  return {
    key: (record) => record[field],
    display: (value) => iso(value),
    parse: (value) => (typeof value === 'number' ? value : Date.parse(value)),
  };
}

/** UPDATED_AT, CREATED_AT and ID sort as asked; every other sort key of the schema sorts by ID (not emulated). */
function sortKeyOf(value: string | null | undefined): SortKey {
  return value === 'UPDATED_AT' || value === 'CREATED_AT' ? value : 'ID';
}

function listing(resource: Resource): Root {
  return (rawArgs, context, info) => {
    const args = rawArgs as Args;
    requireScope(context, resource, READ_SCOPE[resource]);
    const { state } = context;
    const now = state.clock.nowMs();
    const visible = (record: AnyRecord) => resource !== 'orders' || orderVisible(record as OrderRecord, context);
    let matches = visible;
    if (args.query) {
      const predicate = searchSafely(args.query, resource, now);
      // The search index lags behind writes: recently written records are not found by a query yet.
      const indexed = (record: AnyRecord) => state.searchLagMs === 0 || record.writtenAt <= now - state.searchLagMs;
      matches = (record) => visible(record) && indexed(record) && predicate(record);
    }
    const sortKey = sortKeyOf(args.sortKey);
    const ordered = state.store.sortedBy(resource, sortKey).filter(matches);
    return connection(
      ordered,
      codecFor(sortKey),
      args,
      context,
      info,
      VIEWS[resource] as (record: AnyRecord) => unknown,
    );
  };
}

function searchSafely(query: string, resource: Resource, now: number): (record: AnyRecord) => boolean {
  try {
    return searchPredicate(query, resource, now);
  } catch (error) {
    throw error instanceof EmptySearchValue ? internalError() : error;
  }
}

/** The object a GID names, as its view, if the token may see it; null when there is none. */
export function findNode(id: string, context: RequestContext): unknown {
  const parsed = parseGid(id);
  const { store } = context.state;
  if (!parsed) {
    return null;
  }
  switch (parsed.type) {
    case 'Customer': {
      requireScope(context, 'customer', READ_SCOPE.customers);
      const found = store.get('customers', parsed.id);
      return found ? customerView(found) : null;
    }
    case 'Order': {
      requireScope(context, 'order', READ_SCOPE.orders);
      const found = store.get('orders', parsed.id);
      return found && orderVisible(found, context) ? orderView(found) : null;
    }
    case 'LineItem': {
      requireScope(context, 'lineItem', READ_SCOPE.orders);
      for (const order of store.records.orders.values()) {
        const line = order.lineItems.find((each) => each.id === parsed.id);
        if (line) {
          return orderVisible(order, context) ? lineItemView(line) : null;
        }
      }
      return null;
    }
    case 'Product': {
      requireScope(context, 'product', READ_SCOPE.products);
      const found = store.get('products', parsed.id);
      return found ? productView(found) : null;
    }
    case 'ProductVariant': {
      requireScope(context, 'productVariant', READ_SCOPE.products);
      for (const product of store.records.products.values()) {
        const variant = product.variants.find((each) => each.id === parsed.id);
        if (variant) {
          return variantView(variant, product);
        }
      }
      return null;
    }
    case 'BulkOperation':
      return context.state.bulk.view(parsed.id);
    case 'WebhookSubscription': {
      const found = context.state.webhooks.get(parsed.id);
      return found ? context.state.webhooks.view(found) : null;
    }
    default:
      return null;
  }
}

export const QUERY_ROOT: Record<string, Root> = {
  customers: listing('customers'),
  orders: listing('orders'),
  products: listing('products'),
  customer: (args, context) => findNode(gidOf(args.id, 'Customer'), context),
  order: (args, context) => findNode(gidOf(args.id, 'Order'), context),
  product: (args, context) => findNode(gidOf(args.id, 'Product'), context),
  node: (args, context) => findNode(String(args.id), context),
  nodes: (args, context) => {
    const ids = args.ids as string[];
    if (ids.length > MAX_INPUT_SIZE) {
      throw badRequest(
        `The input array size of ${ids.length} is greater than the maximum allowed of ${MAX_INPUT_SIZE}.`,
        'MAX_INPUT_SIZE_EXCEEDED',
      );
    }
    return ids.map((id) => findNode(id, context));
  },
  bulkOperation: (args, context) => findNode(gidOf(args.id, 'BulkOperation'), context),
  currentBulkOperation: (args, context) => context.state.bulk.current((args.type as string | undefined) ?? 'QUERY'),
  shop: (_args, context) => context.state.shopView(),
  currentAppInstallation: (_args, context) => ({
    __typename: 'AppInstallation',
    id: 'gid://shopify/AppInstallation/1',
    accessScopes: context.scopes.map((handle) => ({ handle, description: null })),
  }),
};

/** A lookup by id only answers for a GID of its own type. */
function gidOf(id: unknown, type: string): string {
  const parsed = parseGid(String(id));
  return parsed?.type === type ? String(id) : '';
}
