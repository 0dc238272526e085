import { SourceKind } from '@app/common';
import { defineConnector } from '../core/connector-definition';

/** Shopify: sources take a shop domain and an Admin API token today; its connector comes later. */
export const shopifyDefinition = defineConnector({
  kind: SourceKind.SHOPIFY,
  key: 'shopify',
  credentials: {
    inputName: 'ShopifyCredentialsInput',
    fields: {
      shopDomain: {
        description: 'my-store.myshopify.com',
        pattern: /^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$/,
        message: 'must be the shop’s myshopify domain, e.g. my-store.myshopify.com',
        normalize: (value) => value.trim().toLowerCase(),
      },
      accessToken: {
        description: 'Admin API access token (shpat_…).',
        pattern: /^\S{8,512}$/,
        message: 'must be an Admin API access token (shpat_…) without spaces',
      },
    },
  },
  objects: [],
});
