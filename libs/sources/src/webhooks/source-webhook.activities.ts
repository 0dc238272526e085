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
     * Creates the endpoint at `url` (replacing ours there) and seals its new signing secret as the current
     * one (the old one stays accepted as previous). A retry after a lost answer registers again: the
     * replacement removes the endpoint the first attempt made.
     */
    async registerWebhook({ sourceId, url }: { sourceId: string; url: string }): Promise<RegisterWebhookResult> {
      const credentials = await deps.secrets.credentials(sourceId);
      if (!credentials) {
        throw refused('This source has no credentials: set them with setSourceCredentials first');
      }
      const registered = await registerWebhook(credentials, deps.settings, url, Context.current().cancellationSignal);
      if (!(await deps.secrets.rotate(sourceId, registered.secret))) {
        throw refused('The credentials were removed during the registration: set them and register again');
      }
      return { ok: true, endpointId: registered.endpointId, replacedEndpoints: registered.replaced.length };
    },
  };
}

export type SourceWebhookActivities = ReturnType<typeof createSourceWebhookActivities>;

function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'WebhookRegistrationRefused', message, nonRetryable: true });
}
