// Registering a cloud app's webhook endpoint (registerSourceWebhook, registerStripeWebhook): the api starts
// the workflow, whose activity on the source's queue calls the app and seals a returned signing secret
// itself. No secret enters the payloads below.

export const REGISTER_WEBHOOK_WORKFLOW = 'registerSourceWebhook';

export interface RegisterWebhookInput {
  sourceId: string;
  /** The source's webhookUrl (INGEST_PUBLIC_URL + /webhooks/<app>/<sourceId>). */
  url: string;
  /** How long the registration waits for the source's queue to be served before giving up. */
  scheduleToStartTimeoutMs: number;
}

export type RegisterWebhookResult =
  | {
      ok: true;
      /** The first of endpointIds (results of registrations before endpointIds existed have only this). */
      endpointId: string;
      /** Stripe's one endpoint, Shopify's subscription per topic. */
      endpointIds?: string[];
      replacedEndpoints: number;
    }
  | {
      ok: false;
      /** `refused`: the app (or our checks) refused, the admin must fix something; `unserved`: no worker. */
      problem: 'refused' | 'unserved';
      message: string;
    };

/** `webhook:<sourceId>`: one registration per source at a time (two at once would delete each other's). */
export function makeWebhookRegistrationWorkflowId(sourceId: string): string {
  return `webhook:${sourceId}`;
}
