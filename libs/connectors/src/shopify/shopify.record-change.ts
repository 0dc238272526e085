import type { RecordChange } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { ShopifyExchange } from './shopify.client';
import { readAllChildren } from './shopify.children';
import { SHOPIFY_OBJECTS, type ShopifyNode, nodeSelection, toRecord } from './shopify.objects';

/**
 * One record read back by its GID (a webhook's change id): the record as it is now, or a delete when Shopify
 * no longer has it. A delete is versioned by the shop's clock (the answer's Date header): it has no updatedAt.
 */
export async function readShopifyChange(
  exchange: ShopifyExchange,
  id: string,
  signal?: AbortSignal,
): Promise<{ object: string; change: RecordChange }[]> {
  const type = /^gid:\/\/shopify\/([A-Za-z]+)\/\d+$/.exec(id)?.[1];
  const object = SHOPIFY_OBJECTS.find((o) => o.gidType === type);
  if (!object) {
    throw new ProviderError('invalid', `Shopify change "${id}" names no synced object`, 'shopify');
  }
  const query = `query ReadOne($id: ID!) { ${object.single}(id: $id) { ${nodeSelection(object)} } }`;
  const { data, headers } = await exchange<Record<string, ShopifyNode | null>>(query, { id }, signal);
  const node = data[object.single];
  if (!node) {
    const now = Date.parse(headers?.get('date') ?? '');
    const at = Math.floor((Number.isFinite(now) ? now : Date.now()) / 1000);
    // Shopify never reuses an id, so a delete is final; updatedAt and the clock have whole seconds, and a
    // webhook applies only a strictly newer version: one second past the shop's clock keeps a delete made in
    // the same second as the last update from being dropped.
    const change = { externalId: id, payload: { id }, deleted: true, version: { at: at + 1, id } };
    return [{ object: object.descriptor.name, change }];
  }
  const request = async <T>(q: string, v?: Record<string, unknown>, s?: AbortSignal) =>
    (await exchange<T>(q, v, s)).data;
  const [{ children }] = await readAllChildren(request, object, [node], signal);
  const updatedAt = Math.floor(Date.parse(node.updatedAt ?? '') / 1000);
  const record = toRecord(object, node, children);
  return [{ object: object.descriptor.name, change: { ...record, deleted: false, version: { at: updatedAt, id } } }];
}
