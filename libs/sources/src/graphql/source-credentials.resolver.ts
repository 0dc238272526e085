import { CurrentActor } from '@app/auth/graphql';
import { type Actor, DomainException } from '@app/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { CloudCredentials } from '../cloud-credentials';
import { SourceCredentialsService } from '../source-credentials.service';
import { SetSourceCredentialsInput, WEBHOOK_SECRET_FIELD, appKeysText, givenCredentials } from './credentials.inputs';
import { SourceCredentialsStatusModel } from './source.model';

@Resolver()
export class SourceCredentialsResolver {
  constructor(private readonly credentials: SourceCredentialsService) {}

  @Mutation(() => SourceCredentialsStatusModel, {
    description:
      'Stores cloud-app credentials encrypted (with the webhook signing secret, if given); they can be replaced but never read back.',
  })
  async setSourceCredentials(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetSourceCredentialsInput,
  ): Promise<SourceCredentialsStatusModel> {
    const { credentials, webhookSecret } = toCredentials(input);
    const status = await this.credentials.set(actor.workspaceId, input.sourceId, credentials, webhookSecret);
    return { isSet: status.isSet, updatedAt: status.updatedAt };
  }
}

function toCredentials(input: SetSourceCredentialsInput): { credentials: CloudCredentials; webhookSecret?: string } {
  const given = givenCredentials(input);
  if (given.length !== 1) {
    throw DomainException.invalid(`Give exactly one of ${appKeysText()}: the one matching the source kind`);
  }
  // Checked against the source's definition by validateCredentials before anything is stored.
  const [{ definition, values }] = given;
  const { [WEBHOOK_SECRET_FIELD]: webhookSecret, ...fields } = values;
  return {
    credentials: { ...fields, kind: definition.kind } as CloudCredentials,
    ...(typeof webhookSecret === 'string' ? { webhookSecret } : {}),
  };
}
