import { SourceKind } from '@app/common';
import type { ConcurrencySlots } from '../core/concurrency-slots';
import type { ChangeLog, Connector, ConnectorSettings, ObjectDescriptor, Page } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { ShopifyBulkReader } from './shopify.bulk';
import {
  type ShopifyExchange,
  type ShopifyFetchFile,
  type ShopifyRequest,
  createShopifyExchange,
  createShopifyFileFetch,
} from './shopify.client';
import { ShopifyChangeLog } from './shopify.change-log';
import { SHOPIFY_OBJECTS, shopifyObject } from './shopify.objects';

/** The scopes reading customers, orders and products needs (a missing one fails with ACCESS_DENIED). */
const REQUIRED_SCOPES = ['read_customers', 'read_orders', 'read_products'];

export const SHOPIFY_SYNCED_OBJECTS: ObjectDescriptor[] = SHOPIFY_OBJECTS.map((o) => o.descriptor);

export class ShopifyConnector implements Connector {
  readonly kind = SourceKind.SHOPIFY;
  readonly changes: ChangeLog;
  private readonly request: ShopifyRequest;
  /** Full refreshes: one bulk job per read (kept per connector, so one activity downloads a result once). */
  private readonly bulk: ShopifyBulkReader;

  constructor(exchange: ShopifyExchange, fetchFile: ShopifyFetchFile, slots?: ConcurrencySlots) {
    this.request = async <T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal) =>
      (await exchange<T>(query, variables, signal)).data;
    this.changes = new ShopifyChangeLog(this.request, exchange);
    this.bulk = new ShopifyBulkReader(this.request, fetchFile, slots ? { slots } : {});
  }

  listObjects(): ObjectDescriptor[] {
    return SHOPIFY_SYNCED_OBJECTS;
  }

  /**
   * One query naming the token's scopes: a missing one is named (permission); without `read_all_orders`
   * the credentials work, but only the last 60 days of orders are visible, which the note says.
   */
  async checkConnection(signal?: AbortSignal): Promise<string | void> {
    const data = await this.request<{ currentAppInstallation: { accessScopes: { handle: string }[] } }>(
      '{ currentAppInstallation { accessScopes { handle } } }',
      undefined,
      signal,
    );
    const scopes = new Set(data.currentAppInstallation.accessScopes.map((s) => s.handle));
    const missing = REQUIRED_SCOPES.filter((scope) => !scopes.has(scope));
    if (missing.length > 0) {
      const message = `The Shopify app lacks the access scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: grant ${missing.length > 1 ? 'them' : 'it'} in the app's Admin API access scopes`;
      throw new ProviderError('permission', message, 'shopify', 200, 'ACCESS_DENIED');
    }
    if (!scopes.has('read_all_orders')) {
      return 'Without the read_all_orders scope Shopify shows only the last 60 days of orders: older orders are not synced';
    }
  }

  /**
   * A full refresh reads a bulk job's result (shopify.bulk.ts): only a COMPLETED job's whole file ends the read,
   * so the engine's reconciliation never runs on a failed or partial job.
   */
  readPage(object: string, cursor: string | null, signal?: AbortSignal, runId?: string): Promise<Page> {
    return this.bulk.readPage(shopifyObject(object).descriptor.name, cursor, signal, { runId });
  }
}

/**
 * The connector for one shop: its token, the API origin of every Shopify source, its shop's cost budget and
 * bulk query slots (SHOPIFY_BULK_QUERY_SLOTS; without them it waits on Shopify's own LIMIT_REACHED answers).
 */
export function createShopifyConnector(
  shopDomain: string,
  accessToken: string,
  settings: ConnectorSettings,
  budget: RequestBudget,
  slots?: ConcurrencySlots,
): Connector {
  const exchange = createShopifyExchange(shopDomain, accessToken, settings, budget);
  return new ShopifyConnector(exchange, createShopifyFileFetch(settings.shopify.apiBaseUrl), slots);
}
