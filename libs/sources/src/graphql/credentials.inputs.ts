import { CONNECTOR_DEFINITIONS, type ConnectorDefinition } from '@app/connectors';
import { Field, ID, InputType } from '@nestjs/graphql';
import { Type as TransformAs } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';

// The per-app inputs derive from the connector definitions: adding an app adds its input here, unedited.
const APP_KEYS = CONNECTOR_DEFINITIONS.map((d) => d.key);

@InputType('SetSourceCredentialsInput', {
  description: `Give exactly one of ${APP_KEYS.join(', ')}: the one matching the source kind.`,
})
export class SetSourceCredentialsInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;
}

export const WEBHOOK_SECRET_FIELD = 'webhookSecret';

/** One app's GraphQL credentials input (e.g. StripeCredentialsInput): a String! per credentials field. */
function credentialsInputType(definition: ConnectorDefinition): new () => object {
  const Input = { [definition.credentials.inputName]: class {} }[definition.credentials.inputName];
  for (const [name, field] of Object.entries(definition.credentials.fields)) {
    Field(() => String, { description: field.description })(Input.prototype, name);
  }
  // Apps whose webhooks we verify take their signing secret too, optional: kept when left out.
  if (definition.webhooks) {
    const description = `${definition.webhooks.secret.description} Optional: when left out, the stored one is kept.`;
    Field(() => String, { nullable: true, description })(Input.prototype, WEBHOOK_SECRET_FIELD);
  }
  InputType(definition.credentials.inputName)(Input);
  return Input;
}

// One optional field per app on SetSourceCredentialsInput (`stripe: StripeCredentialsInput`), validated nested.
for (const definition of CONNECTOR_DEFINITIONS) {
  const Input = credentialsInputType(definition);
  Field(() => Input, { nullable: true })(SetSourceCredentialsInput.prototype, definition.key);
  ValidateNested()(SetSourceCredentialsInput.prototype, definition.key);
  TransformAs(() => Input)(SetSourceCredentialsInput.prototype, definition.key);
}

/** The per-app credentials given in the input, by app key (the GraphQL field of each definition). */
export function givenCredentials(
  input: SetSourceCredentialsInput,
): { definition: ConnectorDefinition; values: Record<string, unknown> }[] {
  const byKey = input as unknown as Record<string, Record<string, unknown> | null | undefined>;
  return (CONNECTOR_DEFINITIONS as readonly ConnectorDefinition[]).flatMap((definition) => {
    const values = byKey[definition.key];
    return values ? [{ definition, values }] : [];
  });
}

/** "stripe, hubspot or shopify", for messages. */
export function appKeysText(): string {
  return APP_KEYS.length > 1
    ? `${APP_KEYS.slice(0, -1).join(', ')} or ${APP_KEYS[APP_KEYS.length - 1]}`
    : APP_KEYS.join('');
}
