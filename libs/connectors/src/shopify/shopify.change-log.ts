import type { ChangeLog, ChangePage, ChangeVersion, RecordChange } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { ShopifyExchange, ShopifyRequest } from './shopify.client';
import { readAllChildren } from './shopify.children';
import { type ShopifyNode, type ShopifyObject, nodeSelection, shopifyObject, toRecord } from './shopify.objects';
import { readShopifyChange } from './shopify.record-change';

// Shopify refuses a page reaching past the 25,000th object of one listing (cloud-apis.md §3.2).
export const PAGINATION_DEPTH_CAP = 25_000;

// Each incremental read starts this long before the saved position: Shopify's search index lags behind writes,
// so a record written just before the position may become findable after it. Re-reading changes nothing (a
// change applies only when newer than the row's version).
export const LOOKBACK_SECONDS = 5 * 60;

/**
 * Where a read of changes stands. `since`: the window's inclusive lower bound (ISO, whole seconds); `after`:
 * Shopify's cursor within it and `depth` how deep that is. Before a page would pass the 25,000-object cap the
 * window narrows to start at the last `updatedAt` read (inclusive: rows sharing it are read again, never lost).
 * When more than the cap share one `updatedAt`, that second is read on its own by ascending id (`tie`).
 */
interface ChangeCursor {
  since: string;
  after: string | null;
  depth: number;
  tie?: { at: string; afterId: string | null };
}

interface Connection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ShopifyNode[];
}

/** Shopify's log of changes: records by `updated_at` (search syntax), sortKey UPDATED_AT, cursor pages. */
export class ShopifyChangeLog implements ChangeLog {
  constructor(
    private readonly request: ShopifyRequest,
    private readonly exchange: ShopifyExchange,
  ) {}

  /** The shop's clock (the Date header of a cheap query): `updated_at` has no separate change ids. */
  async head(signal?: AbortSignal): Promise<ChangeVersion> {
    const { headers } = await this.exchange('{ shop { id } }', undefined, signal);
    const at = Date.parse(headers?.get('date') ?? '');
    if (!Number.isFinite(at)) {
      throw new ProviderError('transient', 'Shopify answered without a Date header', 'shopify');
    }
    return { at: Math.floor(at / 1000), id: null };
  }

  /** Records keep their `updated_at` for good: any position can be read on from (deletes come by webhooks). */
  gap(): Promise<string | null> {
    return Promise.resolve(null);
  }

  async readChanges(
    objectName: string,
    position: ChangeVersion,
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<ChangePage> {
    const object = shopifyObject(objectName);
    const at: ChangeCursor = cursor
      ? parseCursor(cursor)
      : { since: iso(position.at - LOOKBACK_SECONDS), after: null, depth: 0 };
    const connection = await this.page(object, at, signal);
    const nodes = await readAllChildren(this.request, object, connection.nodes, signal);
    const changes = nodes.map(({ node, children }) => changeOf(object, node, children));
    const newest = changes[changes.length - 1];
    return {
      changes,
      position: newest ? newest.version : null,
      nextCursor: next(at, object, connection),
    };
  }

  readChange(id: string, signal?: AbortSignal): Promise<{ object: string; change: RecordChange }[]> {
    return readShopifyChange(this.exchange, id, signal);
  }

  private async page(object: ShopifyObject, at: ChangeCursor, signal?: AbortSignal): Promise<Connection> {
    const [filter, sortKey] = at.tie
      ? [
          `updated_at:>='${at.tie.at}' AND updated_at:<='${at.tie.at}'${at.tie.afterId ? ` AND id:>${at.tie.afterId}` : ''}`,
          'ID',
        ]
      : [`updated_at:>='${at.since}'`, 'UPDATED_AT'];
    const query = `query ChangesPage($first: Int!, $after: String, $query: String) {
      ${object.root}(first: $first, after: $after, query: $query, sortKey: ${sortKey}) {
        pageInfo { hasNextPage endCursor } nodes { ${nodeSelection(object)} } } }`;
    const data = await this.request<Record<string, Connection>>(
      query,
      { first: object.pageSize, after: at.tie ? null : at.after, query: filter },
      signal,
    );
    return data[object.root];
  }
}

/** Where to read on after `connection`, or null when the window is read to its end. */
function next(at: ChangeCursor, object: ShopifyObject, connection: Connection): string | null {
  const last = connection.nodes[connection.nodes.length - 1];
  if (at.tie) {
    // One second read by ascending id (id:> the last): then everything after that second.
    return JSON.stringify(
      connection.pageInfo.hasNextPage && last
        ? { ...at, tie: { at: at.tie.at, afterId: legacyId(last) } }
        : { since: nextSecond(at.tie.at), after: null, depth: 0 },
    );
  }
  if (!connection.pageInfo.hasNextPage || !last) {
    return null;
  }
  const depth = at.depth + connection.nodes.length;
  if (depth + object.pageSize <= PAGINATION_DEPTH_CAP) {
    return JSON.stringify({ since: at.since, after: connection.pageInfo.endCursor, depth });
  }
  const lastAt = iso(Math.floor(Date.parse(last.updatedAt!) / 1000));
  // Narrowing to the last second read would not move the window: more than the cap share that second.
  return JSON.stringify(
    lastAt === at.since
      ? { since: at.since, after: null, depth: 0, tie: { at: lastAt, afterId: null } }
      : { since: lastAt, after: null, depth: 0 },
  );
}

function changeOf(object: ShopifyObject, node: ShopifyNode, children?: Record<string, unknown>[]): RecordChange {
  const record = toRecord(object, node, children);
  const at = Date.parse(node.updatedAt ?? '');
  if (!Number.isFinite(at)) {
    throw new ProviderError('transient', 'Shopify answered a record without updatedAt', 'shopify');
  }
  return { ...record, deleted: false, version: { at: Math.floor(at / 1000), id: node.id } };
}

function legacyId(node: ShopifyNode): string {
  return node.legacyResourceId ?? node.id.split('/').pop()!;
}

function nextSecond(isoSecond: string): string {
  return iso(Date.parse(isoSecond) / 1000 + 1);
}

/** Whole seconds, UTC, as Shopify's search syntax takes them. */
function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseCursor(cursor: string): ChangeCursor {
  try {
    const parsed = JSON.parse(cursor) as ChangeCursor;
    if (typeof parsed.since === 'string' && typeof parsed.depth === 'number') {
      return parsed;
    }
  } catch {
    // Not ours: below.
  }
  throw new ProviderError('cursor_gone', 'The Shopify changes cursor is not one we wrote', 'shopify');
}
