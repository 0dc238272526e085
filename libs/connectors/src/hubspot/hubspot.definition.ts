import { SourceKind } from '@app/common';
import { defineConnector } from '../core/connector-definition';
import { HUBSPOT_LIMITS, hubspotAccountKey } from './hubspot.account';
import { HUBSPOT_SYNCED_OBJECTS, createHubSpotConnector } from './hubspot.connector';
import { HUBSPOT_WEBHOOK_BODY_LIMIT_BYTES, hubspotWebhookEvents } from './hubspot.webhook-events';
import { verifyHubSpotSignature } from './hubspot.webhook-signature';

/** HubSpot: a private-app token; the API origin is process config (HUBSPOT_API_BASE_URL). */
export const hubspotDefinition = defineConnector({
  kind: SourceKind.HUBSPOT,
  key: 'hubspot',
  credentials: {
    inputName: 'HubspotCredentialsInput',
    fields: {
      accessToken: {
        description: 'Private-app access token (pat-…).',
        pattern: /^\S{8,512}$/,
        message: 'must be a private-app access token (pat-…) without spaces',
      },
    },
  },
  objects: HUBSPOT_SYNCED_OBJECTS,
  create: (credentials, settings, budget) =>
    createHubSpotConnector(credentials.accessToken, settings.hubspot.apiBaseUrl, budget),
  // Rate limits are per portal: `hubspot:<portalId>` from GET /account-info/v3/details.
  account: {
    key: (credentials, settings, signal) => hubspotAccountKey(credentials.accessToken, settings, signal),
    rate: (_credentials, settings) => settings.hubspot.requestRate,
    limits: () => HUBSPOT_LIMITS,
  },
  // The webhook target URL is set in the developer app (once for all its portals), not through the API:
  // no `register`. The source's webhookUrl is what to enter there.
  webhooks: {
    name: 'HubSpot',
    signingKey: 'app',
    secret: {
      description: "The HubSpot app's client secret, which signs its webhooks (X-HubSpot-Signature-v3).",
      pattern: /^[A-Za-z0-9-]{8,128}$/,
      message: "must be the HubSpot app's client secret (letters, digits and dashes)",
    },
    bodyLimitBytes: HUBSPOT_WEBHOOK_BODY_LIMIT_BYTES,
    refusedStatus: 401,
    verify: verifyHubSpotSignature,
    events: hubspotWebhookEvents,
  },
});
