import type { ShopifyRequest } from './shopify.client';
import type { ChildConnection, ShopifyNode, ShopifyObject } from './shopify.objects';

// Children read per request for a record with more than a page carries: 2 + 100 × at most 5 points.
const MORE_CHILDREN = 100;

/**
 * The page's nodes, each with all its children: the first ones came with the page; a record with more (an
 * order with many line items) has the rest read by id, so no record is stored with a partial child list.
 */
export async function readAllChildren(
  request: ShopifyRequest,
  object: ShopifyObject,
  nodes: ShopifyNode[],
  signal?: AbortSignal,
): Promise<{ node: ShopifyNode; children?: Record<string, unknown>[] }[]> {
  const child = object.child;
  if (!child) {
    return nodes.map((node) => ({ node }));
  }
  const read = [];
  for (const { [child.field]: connection, ...node } of nodes) {
    const first = connection as ChildConnection;
    const children = [...first.nodes];
    let pageInfo = first.pageInfo;
    while (pageInfo.hasNextPage) {
      const more = await moreChildren(request, object, node.id as string, pageInfo.endCursor, signal);
      children.push(...more.nodes);
      pageInfo = more.pageInfo;
    }
    read.push({ node: node as ShopifyNode, children });
  }
  return read;
}

async function moreChildren(
  request: ShopifyRequest,
  object: ShopifyObject,
  id: string,
  after: string | null,
  signal?: AbortSignal,
): Promise<ChildConnection> {
  const child = object.child!;
  const query = `query MoreChildren($id: ID!, $after: String) { ${object.single}(id: $id) {
    ${child.field}(first: ${MORE_CHILDREN}, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${child.node} } } } }`;
  const data = await request<Record<string, Record<string, ChildConnection> | null>>(query, { id, after }, signal);
  // A record deleted meanwhile keeps the children read so far; the next sync sees it gone.
  return data[object.single]?.[child.field] ?? { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] };
}
