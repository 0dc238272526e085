import { SourceKind } from '@app/common';
import type { ChangeLog, Connector, ConnectorSettings, ObjectDescriptor, Page } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { type ShopifyExchange, type ShopifyRequest, createShopifyExchange } from './shopify.client';
import { ShopifyChangeLog } from './shopify.change-log';
import { readListingPage } from './shopify.listing';
import { SHOPIFY_OBJECTS, shopifyObject } from './shopify.objects';

/** The scopes reading customers, orders and products needs (a missing one fails with ACCESS_DENIED). */
const REQUIRED_SCOPES = ['read_customers', 'read_orders', 'read_products'];

export const SHOPIFY_SYNCED_OBJECTS: ObjectDescriptor[] = SHOPIFY_OBJECTS.map((o) => o.descriptor);

export class ShopifyConnector implements Connector {
  readonly kind = SourceKind.SHOPIFY;
  readonly changes: ChangeLog;
  private readonly request: ShopifyRequest;

  constructor(exchange: ShopifyExchange) {
    this.request = async <T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal) =>
      (await exchange<T>(query, variables, signal)).data;
    this.changes = new ShopifyChangeLog(this.request, exchange);
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

  readPage(object: string, cursor: string | null, signal?: AbortSignal): Promise<Page> {
    return readListingPage(this.request, shopifyObject(object), cursor, signal);
  }
}

/** The connector for one shop: its token, the API origin of every Shopify source, its shop's cost budget. */
export function createShopifyConnector(
  shopDomain: string,
  accessToken: string,
  settings: ConnectorSettings,
  budget: RequestBudget,
): Connector {
  return new ShopifyConnector(createShopifyExchange(shopDomain, accessToken, settings, budget));
}
