import type { ConnectorDefinition } from './connector-definition';
import type { CloudCredentials } from './connector-definitions';

export type CredentialsCheck = { ok: true; credentials: CloudCredentials } | { ok: false; problem: string };

/**
 * Checks credentials against the app's definition and returns them in canonical form (declared fields
 * only), or what to fix. Problems name the field, never its value (it is a secret).
 */
export function checkCredentials(definition: ConnectorDefinition, given: Record<string, unknown>): CredentialsCheck {
  const credentials: Record<string, string> = { kind: definition.kind };
  for (const [name, field] of Object.entries(definition.credentials.fields)) {
    const raw = given[name];
    const value = typeof raw === 'string' && field.normalize ? field.normalize(raw) : raw;
    if (typeof value !== 'string' || !field.pattern.test(value)) {
      return { ok: false, problem: `${definition.key}.${name} ${field.message}` };
    }
    credentials[name] = value;
  }
  // The definition's kind and its fields, all checked: exactly one member of the union.
  return { ok: true, credentials: credentials as unknown as CloudCredentials };
}
