import { AllowRoles, CurrentActor } from '@app/auth/graphql';
import { type Actor, Role, SourceStatus, encodeCursor } from '@app/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { SourcesService } from '../sources.service';
import { SourceModelMapper } from './source-model.mapper';
import { CreateSourceInput, SourceIdArgs, SourcesArgs, UpdateSourceInput } from './source.inputs';
import { SourceConnectionModel, SourceModel } from './source.model';

@Resolver(() => SourceModel)
export class SourcesResolver {
  constructor(
    private readonly sourcesService: SourcesService,
    private readonly mapper: SourceModelMapper,
  ) {}

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => SourceConnectionModel, { description: 'Live sources of your workspace, oldest first.' })
  async sources(@CurrentActor() actor: Actor, @Args() args: SourcesArgs): Promise<SourceConnectionModel> {
    const page = await this.sourcesService.list(actor.workspaceId, args.filter ?? {}, args.first, args.after);
    const nodes = await this.mapper.many(page.items);
    const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node) }));
    return {
      edges,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => SourceModel)
  async source(@CurrentActor() actor: Actor, @Args() { id }: SourceIdArgs): Promise<SourceModel> {
    return this.mapper.one(await this.sourcesService.get(actor.workspaceId, id));
  }

  @Mutation(() => SourceModel)
  async createSource(@CurrentActor() actor: Actor, @Args('input') input: CreateSourceInput): Promise<SourceModel> {
    return this.mapper.one(await this.sourcesService.create(actor.workspaceId, input));
  }

  @Mutation(() => SourceModel, { description: 'Changes name, description, environment or settings; never the kind.' })
  async updateSource(@CurrentActor() actor: Actor, @Args('input') input: UpdateSourceInput): Promise<SourceModel> {
    const { id, ...changes } = input;
    return this.mapper.one(await this.sourcesService.update(actor.workspaceId, id, changes));
  }

  @Mutation(() => SourceModel)
  async pauseSource(@CurrentActor() actor: Actor, @Args() { id }: SourceIdArgs): Promise<SourceModel> {
    return this.mapper.one(await this.sourcesService.setStatus(actor.workspaceId, id, SourceStatus.PAUSED));
  }

  @Mutation(() => SourceModel)
  async resumeSource(@CurrentActor() actor: Actor, @Args() { id }: SourceIdArgs): Promise<SourceModel> {
    return this.mapper.one(await this.sourcesService.setStatus(actor.workspaceId, id, SourceStatus.ACTIVE));
  }

  @Mutation(() => SourceModel, {
    description: 'Soft-deletes: hidden from lists, write keys revoked, credentials wiped, the name can be reused.',
  })
  async deleteSource(@CurrentActor() actor: Actor, @Args() { id }: SourceIdArgs): Promise<SourceModel> {
    return this.mapper.one(await this.sourcesService.delete(actor.workspaceId, id));
  }
}
