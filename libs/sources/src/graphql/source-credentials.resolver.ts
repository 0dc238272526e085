import { CurrentActor } from '@app/auth/graphql';
import { type Actor, DomainException } from '@app/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { CloudCredentials } from '../cloud-credentials';
import { SourceCredentialsService } from '../source-credentials.service';
import { SetSourceCredentialsInput, appKeysText, givenCredentials } from './credentials.inputs';
import { SourceCredentialsStatusModel } from './source.model';

@Resolver()
export class SourceCredentialsResolver {
  constructor(private readonly credentials: SourceCredentialsService) {}

  @Mutation(() => SourceCredentialsStatusModel, {
    description: 'Stores cloud-app credentials encrypted; they can be replaced but never read back.',
  })
  async setSourceCredentials(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetSourceCredentialsInput,
  ): Promise<SourceCredentialsStatusModel> {
    const status = await this.credentials.set(actor.workspaceId, input.sourceId, toCredentials(input));
    return { isSet: status.isSet, updatedAt: status.updatedAt };
  }
}

function toCredentials(input: SetSourceCredentialsInput): CloudCredentials {
  const given = givenCredentials(input);
  if (given.length !== 1) {
    throw DomainException.invalid(`Give exactly one of ${appKeysText()}: the one matching the source kind`);
  }
  // Checked against the source's definition by validateCredentials before anything is stored.
  const [{ definition, values }] = given;
  return { ...values, kind: definition.kind } as CloudCredentials;
}
