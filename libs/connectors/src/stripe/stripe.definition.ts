import { SourceKind } from '@app/common';
import { defineConnector } from '../core/connector-definition';
import { stripeAccountKey, stripeRequestRate } from './stripe.account';
import { createStripeConnector } from './stripe.connector';
import { STRIPE_OBJECTS } from './stripe.objects';
import { replaceStripeWebhookEndpoint } from './stripe.webhook-endpoints';
import {
  STRIPE_WEBHOOK_BODY_LIMIT_BYTES,
  stripeWebhookEvents,
  verifyStripeSignature,
} from './stripe.webhook-signature';

/** Stripe: a secret or restricted key; the API origin is process config (STRIPE_API_BASE_URL). */
export const stripeDefinition = defineConnector({
  kind: SourceKind.STRIPE,
  key: 'stripe',
  credentials: {
    inputName: 'StripeCredentialsInput',
    fields: {
      secretKey: {
        description: 'Secret or restricted key: sk_test_…, sk_live_… or rk_….',
        pattern: /^(sk|rk)_(test|live)_[A-Za-z0-9]{4,247}$/,
        message: 'must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)',
      },
    },
  },
  objects: STRIPE_OBJECTS,
  create: (credentials, settings, budget) =>
    createStripeConnector(credentials.secretKey, settings.stripe.apiBaseUrl, budget),
  // Rate limits are per account and mode: `stripe:<acct_…>:<live|test>` from GET /v1/account.
  account: {
    key: (credentials, settings, signal) => stripeAccountKey(credentials.secretKey, settings, signal),
    rate: (credentials, settings) => stripeRequestRate(credentials.secretKey, settings),
  },
  webhooks: {
    name: 'Stripe',
    signingKey: 'endpoint',
    secret: {
      description: "The webhook endpoint's signing secret (whsec_…), when the endpoint was made by hand.",
      pattern: /^whsec_[A-Za-z0-9+/=]{16,200}$/,
      message: 'must be a Stripe webhook signing secret (whsec_…)',
    },
    bodyLimitBytes: STRIPE_WEBHOOK_BODY_LIMIT_BYTES,
    refusedStatus: 400,
    verify: (request, secrets, nowMs) =>
      verifyStripeSignature(request.header('stripe-signature'), request.body, secrets, Math.floor(nowMs / 1000)),
    events: stripeWebhookEvents,
    register: async (credentials, settings, url, signal) => {
      const { endpointId, secret, replaced } = await replaceStripeWebhookEndpoint(
        credentials.secretKey,
        settings.stripe.apiBaseUrl,
        url,
        signal,
      );
      return { endpointIds: [endpointId], secret, replaced };
    },
  },
});
