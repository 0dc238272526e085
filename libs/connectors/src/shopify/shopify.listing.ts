import type { Page } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { ShopifyRequest } from './shopify.client';
import { readAllChildren } from './shopify.children';
import { type ShopifyNode, type ShopifyObject, nodeSelection, toRecord } from './shopify.objects';

// Shopify refuses a page reaching past the 25,000th object of one listing (cloud-apis.md §3.2).
export const PAGINATION_DEPTH_CAP = 25_000;

/**
 * Where a full listing stands: Shopify's cursor within the current listing, the listing's lower id bound
 * (`id:>floor`) and how deep the cursor already is. Before a page would pass the depth cap the listing starts
 * again above the last id read, so no page is ever deeper than the cap.
 */
interface ListingCursor {
  after: string | null;
  floor: string | null;
  depth: number;
}

interface Connection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ShopifyNode[];
}

/** One page of the full listing of `object`, ascending ids (sortKey ID), with its children. */
export async function readListingPage(
  request: ShopifyRequest,
  object: ShopifyObject,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<Page> {
  const at = parseCursor(cursor);
  const query = `query ListPage($first: Int!, $after: String, $query: String) {
    ${object.root}(first: $first, after: $after, query: $query, sortKey: ID) {
      pageInfo { hasNextPage endCursor } nodes { ${nodeSelection(object)} } } }`;
  const filter = at.floor === null ? null : `id:>${at.floor}`;
  const data = await request<Record<string, Connection>>(
    query,
    { first: object.pageSize, after: at.after, query: filter },
    signal,
  );
  const connection = data[object.root];
  const records = await readAllChildren(request, object, connection.nodes, signal);
  if (!connection.pageInfo.hasNextPage || connection.nodes.length === 0) {
    return { records: records.map(({ node, children }) => toRecord(object, node, children)), nextCursor: null };
  }
  return {
    records: records.map(({ node, children }) => toRecord(object, node, children)),
    nextCursor: JSON.stringify(nextOf(at, object, connection)),
  };
}

function nextOf(at: ListingCursor, object: ShopifyObject, connection: Connection): ListingCursor {
  const depth = at.depth + connection.nodes.length;
  if (depth + object.pageSize <= PAGINATION_DEPTH_CAP) {
    return { after: connection.pageInfo.endCursor, floor: at.floor, depth };
  }
  const last = connection.nodes[connection.nodes.length - 1];
  return { after: null, floor: legacyIdOf(last), depth: 0 };
}

function legacyIdOf(node: ShopifyNode): string {
  const id = node.legacyResourceId ?? /\/(\d+)$/.exec(node.id)?.[1];
  if (!id || !/^\d+$/.test(id)) {
    throw new ProviderError('transient', 'Shopify answered a record without a numeric id', 'shopify');
  }
  return id;
}

function parseCursor(cursor: string | null): ListingCursor {
  if (cursor === null) {
    return { after: null, floor: null, depth: 0 };
  }
  try {
    const parsed = JSON.parse(cursor) as Partial<ListingCursor>;
    if (typeof parsed.depth === 'number' && (parsed.floor === null || typeof parsed.floor === 'string')) {
      return { after: parsed.after ?? null, floor: parsed.floor, depth: parsed.depth };
    }
  } catch {
    // Not ours: below.
  }
  throw new ProviderError('cursor_gone', 'The Shopify listing cursor is not one we wrote', 'shopify');
}
