import { type Connector, ProviderError } from '@app/connectors';
import { Context } from '@temporalio/activity';
import type { CloudSyncDeps } from './cloud-sync.activities';

/**
 * Runs `fn` unless the activity is cancelled; an error caused by the cancellation (an aborted request,
 * whatever the client wrapped it in) is reported as the cancellation, so Temporal records it as such.
 */
export async function cancellable<T>(fn: () => Promise<T>): Promise<T> {
  const { cancellationSignal } = Context.current();
  cancellationSignal.throwIfAborted();
  try {
    return await fn();
  } catch (error) {
    throw cancellationSignal.aborted ? (cancellationSignal.reason as unknown) : error;
  }
}

/** The source's connector, opened once per activity with its credentials and its account's budget. */
export async function connectorFor(deps: CloudSyncDeps, sourceId: string): Promise<Connector> {
  const credentials = await deps.vault.open(sourceId);
  if (!credentials) {
    throw new ProviderError('auth', 'This source has no credentials: set them with setSourceCredentials', 'tributary');
  }
  return deps.budget.connector(sourceId, credentials, deps.settings, undefined, Context.current().cancellationSignal);
}
