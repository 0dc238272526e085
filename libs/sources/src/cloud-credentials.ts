import { type CloudCredentials, DomainException, SourceKind } from '@app/common';

export type { CloudCredentials };

const STRIPE_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9]{4,247}$/;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$/;
const TOKEN = /^\S{8,512}$/;

/** Validates credentials against the source kind; messages never echo the secret. */
export function validateCredentials(sourceKind: SourceKind, credentials: CloudCredentials): CloudCredentials {
  if (credentials.kind !== sourceKind) {
    throw DomainException.invalid(
      `This is a ${sourceKind} source; pass only the ${sourceKind.toLowerCase()} credentials input (got ${credentials.kind.toLowerCase()})`,
    );
  }
  switch (credentials.kind) {
    case SourceKind.STRIPE:
      if (!STRIPE_KEY.test(credentials.secretKey)) {
        throw DomainException.invalid(
          'stripe.secretKey must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)',
        );
      }
      return credentials;
    case SourceKind.HUBSPOT:
      if (!TOKEN.test(credentials.accessToken)) {
        throw DomainException.invalid('hubspot.accessToken must be a private-app access token (pat-…) without spaces');
      }
      return credentials;
    case SourceKind.SHOPIFY: {
      const shopDomain = credentials.shopDomain.trim().toLowerCase();
      if (!SHOP_DOMAIN.test(shopDomain)) {
        throw DomainException.invalid(
          'shopify.shopDomain must be the shop’s myshopify domain, e.g. my-store.myshopify.com',
        );
      }
      if (!TOKEN.test(credentials.accessToken)) {
        throw DomainException.invalid('shopify.accessToken must be an Admin API access token (shpat_…) without spaces');
      }
      return { ...credentials, shopDomain };
    }
  }
}
