import { AllowRoles, CurrentActor } from '@app/auth/graphql';
import { type Actor, Role, SourceStatus, encodeCursor } from '@app/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { SourceLifecycleService } from '../source-lifecycle.service';
import type { SourcePage } from '../source.views';
import { SourcesService } from '../sources.service';
import { SourceModelMapper } from './source-model.mapper';
import { CreateSourceInput, SourceIdArgs, SourcesArgs, UpdateSourceInput } from './source.inputs';
import { SourceConnectionModel, SourceModel } from './source.model';

@Resolver(() => SourceModel)
export class SourcesResolver {
  constructor(
    private readonly sourcesService: SourcesService,
    private readonly lifecycle: SourceLifecycleService,
    private readonly mapper: SourceModelMapper,
  ) {}

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => SourceConnectionModel, { description: 'Live sources of your workspace, oldest first.' })
  async sources(@CurrentActor() actor: Actor, @Args() args: SourcesArgs): Promise<SourceConnectionModel> {
    const page = await this.sourcesService.list(actor.workspaceId, args.filter ?? {}, args.first, args.after);
    return this.connection(page);
  }

  @Query(() => SourceConnectionModel, {
    description:
      'Deleted sources whose purge has not started yet (restoreSource can bring them back), oldest first. Admins only.',
  })
  async deletedSources(@CurrentActor() actor: Actor, @Args() args: SourcesArgs): Promise<SourceConnectionModel> {
    const filter = { ...args.filter, deleted: true };
    return this.connection(await this.sourcesService.list(actor.workspaceId, filter, args.first, args.after));
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
    description:
      'Deletes at once: hidden from lists, write keys revoked, syncs cancelled, credentials sealed and unusable, ' +
      'the name free for reuse. The data (records, sync runs and state, credentials, keys) is purged after ' +
      'SOURCE_PURGE_GRACE_SECONDS (default 7 days) by the workflow purge:<id>; restoreSource undoes it until then.',
  })
  async deleteSource(@CurrentActor() actor: Actor, @Args() { id }: SourceIdArgs): Promise<SourceModel> {
    return this.mapper.one(await this.lifecycle.delete(actor.workspaceId, id));
  }

  @Mutation(() => SourceModel, {
    description:
      'Brings a deleted source back PAUSED and cancels its purge, until the purge starts (see deletedSources). ' +
      'Its records and credentials are kept; write keys stay revoked (issue a new one); resume it to sync.',
  })
  async restoreSource(@CurrentActor() actor: Actor, @Args() { id }: SourceIdArgs): Promise<SourceModel> {
    return this.mapper.one(await this.lifecycle.restore(actor.workspaceId, id));
  }

  private async connection(page: SourcePage): Promise<SourceConnectionModel> {
    const nodes = await this.mapper.many(page.items);
    const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node) }));
    return {
      edges,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}
