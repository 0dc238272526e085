import { AllowRoles, CurrentActor } from '@app/auth/graphql';
import { type Actor, Role } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { IngestionLogReader, ingestionHealth } from '@app/ingestion';
import { SourcesService } from '@app/sources';
import { SourceModel } from '@app/sources/graphql';
import { Inject } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  IngestionCountsModel,
  IngestionHealthArgs,
  IngestionHealthModel,
  IngestionRejectionConnectionModel,
  SourceIngestionCountsArgs,
  SourceRejectionsArgs,
} from './ingestion-log.models';

/**
 * A source's ingestion log (counters, rejections) and health: composed here, as sourceEvents is, because
 * sources (whose workspace the caller must own) and ingestion are sibling domains.
 */
@Resolver(() => SourceModel)
export class IngestionLogResolver {
  constructor(
    private readonly sources: SourcesService,
    private readonly log: IngestionLogReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => [IngestionCountsModel], {
    description:
      'Messages a source sent per bucket over [from, to), by outcome. Bad ranges answer BAD_USER_INPUT with ' +
      'extensions.reason EMPTY_RANGE or RANGE_TOO_LARGE.',
  })
  async sourceIngestionCounts(
    @CurrentActor() actor: Actor,
    @Args() args: SourceIngestionCountsArgs,
  ): Promise<IngestionCountsModel[]> {
    // NOT_FOUND for another workspace's source (or a deleted one): the same answer as for no source.
    const source = await this.sources.get(actor.workspaceId, args.sourceId);
    const buckets = await this.log.counters(source.id, args.from, args.to, args.granularity);
    return buckets.map(({ start, counts }) => ({
      start,
      accepted: counts.accepted,
      duplicate: counts.duplicate,
      rejected: counts.rejected,
      quarantined: counts.quarantined,
      rateLimited: counts.rate_limited,
    }));
  }

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => IngestionRejectionConnectionModel, {
    description: 'The items a source’s tracking API refused, newest first; page back with pageInfo.endCursor.',
  })
  async sourceRejections(
    @CurrentActor() actor: Actor,
    @Args() args: SourceRejectionsArgs,
  ): Promise<IngestionRejectionConnectionModel> {
    const source = await this.sources.get(actor.workspaceId, args.sourceId);
    const page = await this.log.rejections(source.id, args.first, args.after, args.code);
    const edges = page.items.map((node, i) => ({ node, cursor: page.cursors[i] }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @ResolveField(() => IngestionHealthModel, {
    nullable: true,
    description:
      'Event-stream sources only: flagged when the rejected or rate-limited share of the last windowMinutes ' +
      'passes thresholdPercent, with the top reasons.',
  })
  async ingestionHealth(
    @Parent() source: SourceModel,
    @Args() args: IngestionHealthArgs,
  ): Promise<IngestionHealthModel | null> {
    if (!source.trackingConfig || source.deletedAt) {
      return null;
    }
    const defaults = this.config.ingestionLog;
    return ingestionHealth(
      this.log,
      source.id,
      args.windowMinutes ?? defaults.healthWindowMinutes,
      args.thresholdPercent ?? defaults.healthThresholdPercent,
    );
  }
}
