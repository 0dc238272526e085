import { CurrentActor } from '@app/auth/graphql';
import { type Actor, DomainException, SourceKind } from '@app/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { CloudCredentials } from '../cloud-credentials';
import { SourceCredentialsService } from '../source-credentials.service';
import { SetSourceCredentialsInput } from './credentials.inputs';
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
  const given = [
    input.stripe && { kind: SourceKind.STRIPE as const, ...input.stripe },
    input.hubspot && { kind: SourceKind.HUBSPOT as const, ...input.hubspot },
    input.shopify && { kind: SourceKind.SHOPIFY as const, ...input.shopify },
  ].filter((c) => !!c);
  if (given.length !== 1) {
    throw DomainException.invalid('Give exactly one of stripe, hubspot or shopify: the one matching the source kind');
  }
  return given[0];
}
