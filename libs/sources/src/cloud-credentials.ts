import { type CloudCredentials, checkCredentials, connectorDefinition } from '@app/connectors';
import { DomainException, type SourceKind } from '@app/common';

export type { CloudCredentials };

/** Validates credentials against the source kind's definition; messages never echo the secret. */
export function validateCredentials(sourceKind: SourceKind, credentials: CloudCredentials): CloudCredentials {
  const definition = connectorDefinition(credentials.kind);
  if (credentials.kind !== sourceKind || !definition) {
    throw DomainException.invalid(
      `This is a ${sourceKind} source; pass only the ${sourceKind.toLowerCase()} credentials input (got ${credentials.kind.toLowerCase()})`,
    );
  }
  const checked = checkCredentials(definition, credentials);
  if (!checked.ok) {
    throw DomainException.invalid(checked.problem);
  }
  return checked.credentials;
}

/** A webhook signing secret set by hand: the source's app must sign webhooks, and the secret look like its. */
export function validateWebhookSecret(sourceKind: SourceKind, secret: string): void {
  const definition = connectorDefinition(sourceKind);
  const field = definition?.webhooks?.secret;
  if (!definition || !field) {
    throw DomainException.invalid(`${sourceKind} sources take no webhook secret; leave webhookSecret out`);
  }
  if (!field.pattern.test(secret)) {
    throw DomainException.invalid(`${definition.key}.webhookSecret ${field.message}`);
  }
}
