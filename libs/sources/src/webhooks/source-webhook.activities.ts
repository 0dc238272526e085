import { type ConnectorSettings, registerWebhook } from '@app/connectors';
import type { RegisterWebhookResult } from '@app/temporal';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { WebhookSecretsStore } from './webhook-secrets.store';

export interface SourceWebhookDeps {
  secrets: WebhookSecretsStore;
  settings: ConnectorSettings;
}

/** Activities on the source's own queue that manage its app's webhook endpoint. Results carry ids only. */
export function createSourceWebhookActivities(deps: SourceWebhookDeps) {
  return {
    /**
     * Creates the endpoint at `url` (replacing ours there). Where the app gave the endpoint a signing secret
     * of its own, it is sealed as the current one (the old one stays accepted as previous); where the app
     * signs with its app secret, the stored one is kept. A retry after a lost answer registers again: the
     * replacement leaves one set of endpoints.
     */
    async registerWebhook({ sourceId, url }: { sourceId: string; url: string }): Promise<RegisterWebhookResult> {
      const credentials = await deps.secrets.credentials(sourceId);
      if (!credentials) {
        throw refused('This source has no credentials: set them with setSourceCredentials first');
      }
      const registered = await registerWebhook(
        credentials,
        deps.settings,
        { url, hasSecret: credentials.webhookSecrets !== undefined },
        Context.current().cancellationSignal,
      );
      if (registered.secret !== undefined && !(await deps.secrets.rotate(sourceId, registered.secret))) {
        throw refused('The credentials were removed during the registration: set them and register again');
      }
      const { endpointIds, replaced } = registered;
      return { ok: true, endpointId: endpointIds[0], endpointIds, replacedEndpoints: replaced.length };
    },
  };
}

export type SourceWebhookActivities = ReturnType<typeof createSourceWebhookActivities>;

function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'WebhookRegistrationRefused', message, nonRetryable: true });
}
