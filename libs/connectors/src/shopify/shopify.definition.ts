import { SourceKind } from '@app/common';
import { defineConnector } from '../core/connector-definition';
import { SHOP_DOMAIN_PATTERN, SHOPIFY_BULK_QUERY_SLOTS } from './shopify.client';
import { SHOPIFY_SYNCED_OBJECTS, createShopifyConnector } from './shopify.connector';
import { replaceShopifyWebhookSubscriptions } from './shopify.webhook-subscriptions';
import { SHOPIFY_WEBHOOK_BODY_LIMIT_BYTES, shopifyWebhookEvents, verifyShopifySignature } from './shopify.webhooks';

/** Shopify: a shop domain and an Admin API token; the API origin is process config (SHOPIFY_API_BASE_URL). */
export const shopifyDefinition = defineConnector({
  kind: SourceKind.SHOPIFY,
  key: 'shopify',
  credentials: {
    inputName: 'ShopifyCredentialsInput',
    fields: {
      shopDomain: {
        description: 'my-store.myshopify.com',
        pattern: SHOP_DOMAIN_PATTERN,
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
  objects: SHOPIFY_SYNCED_OBJECTS,
  create: (credentials, settings, budget, slots) =>
    createShopifyConnector(credentials.shopDomain, credentials.accessToken, settings, budget, slots),
  // Shopify's cost budget and its bulk query limit are per shop, and the (canonical) shop domain names the shop:
  // no call needed.
  account: {
    key: (credentials) => Promise.resolve(`shopify:${credentials.shopDomain}`),
    rate: (_credentials, settings) => settings.shopify.costRate,
    jobSlots: () => SHOPIFY_BULK_QUERY_SLOTS,
  },
  // Shopify signs with the app's client secret, set by hand (shopify.webhookSecret); registering subscribes
  // the source's webhookUrl to the topics we need (registerSourceWebhook).
  webhooks: {
    name: 'Shopify',
    signingKey: 'app',
    secret: {
      description: "The Shopify app's client secret, which signs its webhooks (X-Shopify-Hmac-Sha256).",
      pattern: /^\S{16,256}$/,
      message: "must be the Shopify app's client secret (at least 16 characters, no spaces)",
    },
    bodyLimitBytes: SHOPIFY_WEBHOOK_BODY_LIMIT_BYTES,
    refusedStatus: 401,
    verify: verifyShopifySignature,
    events: shopifyWebhookEvents,
    register: (credentials, settings, url, signal) =>
      replaceShopifyWebhookSubscriptions(credentials.shopDomain, credentials.accessToken, settings, url, signal),
  },
});
