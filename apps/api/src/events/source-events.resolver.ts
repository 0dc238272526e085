import { AllowRoles, CurrentActor } from '@app/auth/graphql';
import { type Actor, Role } from '@app/common';
import { EventReader } from '@app/ingestion';
import { SourcesService } from '@app/sources';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { SourceEventConnectionModel, SourceEventModel, SourceEventsArgs } from './source-event.models';

/**
 * A source's event stream for the debugger: composed here because sources (whose workspace the caller
 * must own) and ingestion (which stores the events) are sibling domains that never import each other.
 */
@Resolver(() => SourceEventModel)
export class SourceEventsResolver {
  constructor(
    private readonly sources: SourcesService,
    private readonly events: EventReader,
  ) {}

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => SourceEventConnectionModel, {
    description:
      'A source’s newest events first. Poll without `after` for a live view; page back with pageInfo.endCursor.',
  })
  async sourceEvents(
    @CurrentActor() actor: Actor,
    @Args() args: SourceEventsArgs,
  ): Promise<SourceEventConnectionModel> {
    // NOT_FOUND for another workspace's source (or a deleted one): the same answer as for no source.
    const source = await this.sources.get(actor.workspaceId, args.sourceId);
    const page = await this.events.newest(source.id, args.first, args.after);
    const edges = page.items.map((e, i) => ({
      node: { ...e, payload: JSON.stringify(e.payload) },
      cursor: page.cursors[i],
    }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
