import type { Actor } from '@app/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiTokensService } from '../api-tokens.service';
import {
  ApiTokenIdArgs,
  ApiTokenModel,
  ApiTokensArgs,
  CreateApiTokenArgs,
  CreatedApiTokenModel,
} from './api-token.model';
import { CurrentActor } from './current-actor.decorator';

@Resolver(() => ApiTokenModel)
export class ApiTokensResolver {
  constructor(private readonly tokens: ApiTokensService) {}

  @Query(() => [ApiTokenModel], { description: 'API tokens of your workspace (ADMIN).' })
  apiTokens(@CurrentActor() actor: Actor, @Args() args: ApiTokensArgs): Promise<ApiTokenModel[]> {
    return this.tokens.list(actor.workspaceId, args.includeRevoked);
  }

  @Mutation(() => CreatedApiTokenModel, { description: 'Creates a token; its secret is returned once.' })
  createApiToken(@CurrentActor() actor: Actor, @Args() args: CreateApiTokenArgs): Promise<CreatedApiTokenModel> {
    return this.tokens.create(actor.workspaceId, args.name, args.role);
  }

  @Mutation(() => ApiTokenModel, { description: 'Revokes a token at once; revoking twice is harmless.' })
  revokeApiToken(@CurrentActor() actor: Actor, @Args() args: ApiTokenIdArgs): Promise<ApiTokenModel> {
    return this.tokens.revoke(actor.workspaceId, args.id);
  }
}
